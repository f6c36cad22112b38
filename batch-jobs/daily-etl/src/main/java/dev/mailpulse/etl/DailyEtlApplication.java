package dev.mailpulse.etl;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.task.configuration.EnableTask;

/** The nightly ETL as a task: one run of the daily-facts job (pipeline-etl) with the command line, then its exit code. */
@SpringBootApplication
@EnableTask
public class DailyEtlApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(DailyEtlApplication.class, args)));
    }
}
