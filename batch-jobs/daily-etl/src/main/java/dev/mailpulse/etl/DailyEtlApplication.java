package dev.mailpulse.etl;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The nightly ETL (Spring Batch on Spring Cloud Task): daily facts, KPIs and attribution. Not yet built: the application starts and does nothing. */
@SpringBootApplication
public class DailyEtlApplication {

    public static void main(String[] args) {
        SpringApplication.run(DailyEtlApplication.class, args);
    }
}
