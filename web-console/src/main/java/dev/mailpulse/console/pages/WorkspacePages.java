package dev.mailpulse.console.pages;

import java.time.ZoneId;

import org.springframework.stereotype.Component;

import dev.mailpulse.console.security.ConsoleUser;
import dev.mailpulse.storage.user.Role;
import dev.mailpulse.storage.user.Users;
import dev.mailpulse.storage.workspace.Workspaces;

/**
 * The workspace a page is about ({@code /w/NAME/...}), opened for a signed-in user who belongs to it; for anyone else
 * it does not exist (404), whether or not it does.
 */
@Component
public class WorkspacePages {

    /** What every page of a workspace knows: who looks, their role there, the workspace and its time zone. */
    public record Page(ConsoleUser user, Users.Membership membership, Workspaces.Workspace workspace, ZoneId zone) {

        public boolean admin() {
            return membership.role() == Role.ADMIN;
        }

        /** This page, for an admin of its workspace; for anyone else, 403. */
        public Page requireAdmin(String action) {
            if (!admin()) {
                throw new AdminOnly(action + " takes the admin role in " + workspace.name());
            }
            return this;
        }

        /** Whether the user may act here (admins and analysts), not only look (viewers). */
        public boolean acts() {
            return membership.role() != Role.VIEWER;
        }

        /** This page, for an admin or analyst of its workspace; for a viewer, 403. */
        public Page requireActing(String action) {
            if (!acts()) {
                throw new AdminOnly(action + " takes the admin or analyst role in " + workspace.name());
            }
            return this;
        }
    }

    private final Workspaces workspaces;

    WorkspacePages(Workspaces workspaces) {
        this.workspaces = workspaces;
    }

    public Page open(ConsoleUser user, String workspaceName) {
        Users.Membership membership = user.membership(workspaceName)
                .orElseThrow(() -> new NoSuchPage("no workspace " + workspaceName));
        Workspaces.Workspace workspace = workspaces.find(membership.workspaceId()).orElseThrow(() -> new NoSuchPage("no workspace " + workspaceName));
        return new Page(user, membership, workspace, ZoneId.of(workspace.timeZone()));
    }
}
