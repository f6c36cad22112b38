package dev.mailpulse.console.security;

import java.io.IOException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.mailpulse.storage.workspace.ApiKeyAuthenticator;
import dev.mailpulse.storage.workspace.Workspaces.KeyCheck;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates an API request by its key ({@code Authorization: Bearer KEY} or {@code X-Api-Key: KEY}). A key that
 * is unknown or revoked is refused here (401); a request without a key goes on unauthenticated, for the chain to
 * refuse; what the key's scope allows is the chain's to check.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private final ApiKeyAuthenticator authenticator;
    private final ProblemResponses problems;

    ApiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator, ProblemResponses problems) {
        this.authenticator = authenticator;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = key(request);
        if (key != null) {
            KeyCheck check = authenticator.check(key);
            if (check instanceof KeyCheck.Valid valid) {
                SecurityContextHolder.getContext().setAuthentication(new ApiCaller(valid.workspace(), valid.scope()).authentication());
            } else {
                problems.write(response, HttpStatus.UNAUTHORIZED,
                        check instanceof KeyCheck.Revoked ? "this API key has been revoked" : "this API key is not known", request.getRequestURI());
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static String key(HttpServletRequest request) {
        String header = request.getHeader("X-Api-Key");
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).strip() : null;
    }
}
