package dev.mailpulse.console.pages;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** An action a member of the workspace may not take in the role they have there: 403. */
@ResponseStatus(HttpStatus.FORBIDDEN)
public class AdminOnly extends RuntimeException {

    public AdminOnly(String why) {
        super(why);
    }
}
