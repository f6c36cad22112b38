package dev.mailpulse.storage;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * In a task app (daily-etl, ml-train), the one transaction manager the job's steps, jOOQ and the job repository
 * share. Spring Cloud Task brings one of its own for its task repository; this one, primary, is what everything else
 * is wired with.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.cloud.task.configuration.SimpleTaskAutoConfiguration")
public class TaskTransactionsAutoConfiguration {

    @Bean
    @Primary
    JdbcTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }
}
