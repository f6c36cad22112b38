package dev.mailpulse.console.api;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Something the caller's workspace does not have: a 404, whether or not another workspace has it (problem details
 * from the API, the error page from the console's pages).
 */
@ResponseStatus(HttpStatus.NOT_FOUND)
public final class NotInWorkspace extends RuntimeException {

    public NotInWorkspace(String what) {
        super(what + " is not in this workspace");
    }
}
