package dev.mailpulse.console.security;

import java.time.Clock;
import java.time.Duration;

import org.jooq.DSLContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
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
 * script.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class SecurityConfiguration {

    /** The console's pages load only their own scripts, styles and images, and cannot be framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, Workspaces workspaces, JsonMapper json, ConsoleProperties properties) throws Exception {
        ProblemResponses problems = new ProblemResponses(json);
        ApiKeyAuthenticator keys = new ApiKeyAuthenticator(workspaces, Duration.ofSeconds(30), System::nanoTime);
        ApiRateLimits limits = new ApiRateLimits(properties.apiRequestsPerSecond(), properties.apiBurst(), System::nanoTime);
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAuthority(ApiCaller.READ)
                        .anyRequest().hasAuthority(ApiCaller.WRITE))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, limits, problems), AnonymousAuthenticationFilter.class)
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
                        .requestMatchers("/login", "/css/**", "/js/**", "/actuator/health", "/error").permitAll()
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
