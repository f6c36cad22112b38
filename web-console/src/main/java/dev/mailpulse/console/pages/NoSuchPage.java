package dev.mailpulse.console.pages;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * A page about something the user cannot see: a 404 rendered as the console's error page (not as the API's problem
 * details), whether or not it exists.
 */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class NoSuchPage extends RuntimeException {

    public NoSuchPage(String what) {
        super(what);
    }
}
