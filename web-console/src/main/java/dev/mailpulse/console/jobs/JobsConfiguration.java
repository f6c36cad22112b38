package dev.mailpulse.console.jobs;

import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.mailpulse.console.ConsoleProperties;
import dev.mailpulse.storage.facts.EtlRuns;

/** The daily ETL's runs, read from its job repository in the MailPulse database. */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

    @Bean
    EtlRuns etlRuns(DSLContext db, ConsoleProperties properties) {
        return new EtlRuns(db, properties.batchTablePrefix());
    }
}
