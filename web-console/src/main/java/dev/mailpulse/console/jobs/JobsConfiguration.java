package dev.mailpulse.console.jobs;

import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.mailpulse.console.ConsoleProperties;
import dev.mailpulse.storage.facts.EtlRuns;
import dev.mailpulse.storage.ml.TrainingRuns;

/** The daily ETL's and the model training's runs, read from their job repository in the MailPulse database. */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

    @Bean
    EtlRuns etlRuns(DSLContext db, ConsoleProperties properties) {
        return new EtlRuns(db, properties.batchTablePrefix());
    }

    @Bean
    TrainingRuns trainingRuns(DSLContext db, ConsoleProperties properties) {
        return new TrainingRuns(db, properties.batchTablePrefix());
    }
}
