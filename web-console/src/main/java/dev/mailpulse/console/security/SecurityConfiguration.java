package dev.mailpulse.console.security;

import java.time.Clock;
import java.time.Duration;

import org.jooq.DSLContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

import dev.mailpulse.console.ConsoleProperties;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.storage.workspace.ApiKeyAuthenticator;
import dev.mailpulse.storage.workspace.Workspaces;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two ways in. {@code /api/**}: a workspace key, no session, no cookies (so no CSRF to guard against); reading takes a
 * read or admin key, any write an admin key. Everything else: a console user signed in through the form at
 * {@code /login}, with CSRF tokens, a new session id on sign-in, and a content security policy that allows no inline
 * script. The live stream takes either: a read key, or the session of a signed-in user (the console's own pages);
 * a browser's handshake must come from the console's own origin (checked by the WebSocket endpoint), so another site
 * cannot ride on the session.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class SecurityConfiguration {

    /** The console's pages load only their own scripts, styles and images, and cannot be framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /** The key check and the per-key rate limits, one of each for every chain that takes keys. */
    @Bean
    ApiKeyAuthenticationFilter apiKeyAuthentication(Workspaces workspaces, JsonMapper json, ConsoleProperties properties) {
        return new ApiKeyAuthenticationFilter(new ApiKeyAuthenticator(workspaces, Duration.ofSeconds(30), System::nanoTime),
                new ApiRateLimits(properties.apiRequestsPerSecond(), properties.apiBurst(), System::nanoTime), new ProblemResponses(json));
    }

    /** A filter bean would otherwise be applied to every request by the servlet container as well as by its chains. */
    @Bean
    FilterRegistrationBean<ApiKeyAuthenticationFilter> apiKeyAuthenticationOnlyInItsChains(ApiKeyAuthenticationFilter filter) {
        FilterRegistrationBean<ApiKeyAuthenticationFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    @Order(0)
    SecurityFilterChain stream(HttpSecurity http, ApiKeyAuthenticationFilter keys, JsonMapper json) throws Exception {
        ProblemResponses problems = new ProblemResponses(json);
        http.securityMatcher("/api/v1/stream")
                .authorizeHttpRequests(requests -> requests.anyRequest().access((authentication, context) -> new AuthorizationDecision(
                        authentication.get().getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(ApiCaller.READ))
                                || authentication.get().getPrincipal() instanceof ConsoleUser)))
                .addFilterBefore(keys, AnonymousAuthenticationFilter.class)
                // a signed-in user's session is read, never made: a client with a key gets no cookie
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> problems.write(response, HttpStatus.UNAUTHORIZED,
                                "a read key (Authorization: Bearer KEY) or a signed-in session is required", request.getRequestURI()))
                        .accessDeniedHandler((request, response, e) -> problems.write(response, HttpStatus.FORBIDDEN,
                                "the live stream takes a read or admin key", request.getRequestURI())));
        return http.build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiKeyAuthenticationFilter keys, JsonMapper json) throws Exception {
        ProblemResponses problems = new ProblemResponses(json);
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAuthority(ApiCaller.READ)
                        .anyRequest().hasAuthority(ApiCaller.WRITE))
                .addFilterBefore(keys, AnonymousAuthenticationFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> problems.write(response, HttpStatus.UNAUTHORIZED,
                                "an API key is required (Authorization: Bearer KEY or X-Api-Key)", request.getRequestURI()))
                        .accessDeniedHandler((request, response, e) -> problems.write(response, HttpStatus.FORBIDDEN,
                                "this key's scope does not allow " + request.getMethod() + " here (reading takes a read or admin key, "
                                        + "writing an admin key; an ingest key only sends events)", request.getRequestURI())));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pages(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/login", "/css/**", "/js/**", "/webjars/**", "/actuator/health", "/error").permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false))
                .logout(logout -> logout.logoutSuccessUrl("/login?signed-out"))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
        return http.build();
    }

    @Bean
    ConsoleUsers consoleUsers(DSLContext db) {
        return new ConsoleUsers(new Users(db), Clock.systemUTC());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return Users.PASSWORDS;
    }
}
