package dev.mailpulse.console.security;

import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.mailpulse.storage.workspace.KeyScope;
import dev.mailpulse.storage.workspace.Workspaces.Workspace;

/**
 * A client of the Analytics API, known by its key: the one workspace it may see, and what its key's scope allows
 * ({@link #READ} for reading, {@link #WRITE} for every write).
 */
public record ApiCaller(Workspace workspace, KeyScope scope) {

    public static final String READ = "api:read";
    public static final String WRITE = "api:write";

    public UUID workspaceId() {
        return workspace.id();
    }

    /** The caller a request's (or a WebSocket's handshake's) principal is, if it came with a key. */
    public static Optional<ApiCaller> of(Principal principal) {
        return principal instanceof Authentication authentication ? Optional.of(authentication.getPrincipal()) : Optional.empty();
    }

    /** The caller as Spring Security's authentication of the request. */
    Authentication authentication() {
        return new Authentication(this);
    }

    static final class Authentication extends AbstractAuthenticationToken {

        private final ApiCaller caller;

        private Authentication(ApiCaller caller) {
            super(authorities(caller.scope()));
            this.caller = caller;
            setAuthenticated(true);
        }

        private static List<GrantedAuthority> authorities(KeyScope scope) {
            return (scope.canWrite() ? List.of(READ, WRITE) : scope.canRead() ? List.of(READ) : List.<String>of()).stream()
                    .<GrantedAuthority>map(SimpleGrantedAuthority::new).toList();
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public ApiCaller getPrincipal() {
            return caller;
        }
    }
}
