package dev.mailpulse.console.security;

import java.io.IOException;
import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.mailpulse.storage.workspace.ApiKeyAuthenticator;
import dev.mailpulse.storage.workspace.ApiKeys;
import dev.mailpulse.storage.workspace.Workspaces.KeyCheck;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates an API request by its key ({@code Authorization: Bearer KEY} or {@code X-Api-Key: KEY}). A key that
 * is unknown or revoked is refused here (401), and so is a key over its rate (429, with {@code Retry-After}); a
 * request without a key goes on unauthenticated, for the chain to refuse; what the key's scope allows is the chain's
 * to check. While the database cannot be reached, no key can be checked: 503 with {@code Retry-After}.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private final ApiKeyAuthenticator authenticator;
    private final ApiRateLimits limits;
    private final ProblemResponses problems;

    ApiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator, ApiRateLimits limits, ProblemResponses problems) {
        this.authenticator = authenticator;
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = key(request);
        if (key != null) {
            KeyCheck check;
            try {
                check = authenticator.check(key);
            } catch (RuntimeException e) {
                if (!ProblemResponses.isOutage(e)) {
                    throw e;
                }
                problems.writeUnavailable(response, request.getRequestURI());
                return;
            }
            if (check instanceof KeyCheck.Valid valid) {
                Duration wait = limits.acquire(ApiKeys.hash(key));
                if (!wait.isZero()) {
                    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
                    problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "this key is over its rate of requests; retry after the "
                            + "Retry-After seconds", request.getRequestURI());
                    return;
                }
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
