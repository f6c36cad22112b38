package dev.mailpulse.console.security;

import java.security.Principal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

import dev.mailpulse.storage.user.Users;

/** A person signed in to the console: the workspaces they belong to, each with their role there. */
public record ConsoleUser(UUID id, String email, String passwordHash, boolean locked, List<Users.Membership> memberships) implements UserDetails {

    static ConsoleUser of(Users.User user, List<Users.Membership> memberships, Instant now) {
        return new ConsoleUser(user.id(), user.email(), user.passwordHash(), user.lockedUntil().map(now::isBefore).orElse(false), memberships);
    }

    /** The user as a request's (or a WebSocket's handshake's) principal, if they signed in. */
    public static Optional<ConsoleUser> of(Principal principal) {
        return principal instanceof Authentication authentication && authentication.getPrincipal() instanceof ConsoleUser user
                ? Optional.of(user) : Optional.empty();
    }

    /** Their membership of the workspace of that name, if they belong to it. */
    public Optional<Users.Membership> membership(String workspaceName) {
        return memberships.stream().filter(m -> m.workspaceName().equals(workspaceName)).findFirst();
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(); // roles are per workspace: checked against the workspace a page is about
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return email;
    }

    @Override
    public boolean isAccountNonLocked() {
        return !locked;
    }

    /** Never print the hash, even in a log of the principal. */
    @Override
    public String toString() {
        return "ConsoleUser[" + email + "]";
    }
}
