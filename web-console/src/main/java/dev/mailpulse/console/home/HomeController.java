package dev.mailpulse.console.home;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.mailpulse.console.pages.ConsolePage;
import dev.mailpulse.console.security.ConsoleUser;

/** The first page after sign-in: the workspaces the user belongs to, with their role in each. */
@ConsolePage
class HomeController {

    @GetMapping("/")
    String home(@AuthenticationPrincipal ConsoleUser user, Model model) {
        model.addAttribute("user", user);
        return "home/home";
    }
}
