package dev.mailpulse.console.api;

/** Something the caller's workspace does not have: a 404, whether or not another workspace has it. */
public final class NotInWorkspace extends RuntimeException {

    public NotInWorkspace(String what) {
        super(what + " is not in this workspace");
    }
}
