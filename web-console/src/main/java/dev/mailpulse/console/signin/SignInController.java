package dev.mailpulse.console.signin;

import org.springframework.security.authentication.LockedException;
import org.springframework.security.web.WebAttributes;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.mailpulse.console.pages.ConsolePage;
import jakarta.servlet.http.HttpSession;

/** The sign-in form; Spring Security takes its POST, and signs out at {@code POST /logout}. */
@ConsolePage
class SignInController {

    @GetMapping("/login")
    String signIn(HttpSession session, Model model) {
        model.addAttribute("locked", session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) instanceof LockedException);
        return "signin/login";
    }
}
