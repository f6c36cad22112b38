package dev.mailpulse.console.security;

import java.time.Clock;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

import dev.mailpulse.storage.user.Users;

/**
 * The console's users for Spring Security's form sign-in, and the back-off: after {@link Users#FREE_ATTEMPTS} wrong
 * passwords in a row an account is locked for a while that doubles with each further one (a right password then
 * still fails until the lock ends); a successful sign-in clears the count.
 */
final class ConsoleUsers implements UserDetailsService {

    private final Users users;
    private final Clock clock;

    ConsoleUsers(Users users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    @Override
    public UserDetails loadUserByUsername(String email) {
        return users.find(email).map(user -> ConsoleUser.of(user, users.memberships(user.id()), clock.instant()))
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }

    @EventListener
    void failed(AuthenticationFailureBadCredentialsEvent event) {
        users.signInFailed(event.getAuthentication().getName(), clock.instant());
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        if (event.getAuthentication().getPrincipal() instanceof ConsoleUser user) {
            users.signedIn(user.id());
        }
    }
}
