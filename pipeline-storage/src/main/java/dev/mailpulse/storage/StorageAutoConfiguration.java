package dev.mailpulse.storage;

import org.jooq.DSLContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

import dev.mailpulse.storage.workspace.Workspaces;

/** The store's shared access for any Spring app with a database: one {@link Workspaces} for every stage and page that needs it. */
@AutoConfiguration(afterName = "org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration")
@ConditionalOnBean(DSLContext.class)
public class StorageAutoConfiguration {

    @Bean
    Workspaces workspaces(DSLContext db) {
        return new Workspaces(db);
    }
}
