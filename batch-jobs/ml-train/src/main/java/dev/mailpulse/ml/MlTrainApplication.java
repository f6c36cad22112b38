package dev.mailpulse.ml;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The nightly model training (Spark MLlib on Spring Cloud Task): models, predictions and anomalies. Not yet built: the application starts and does nothing. */
@SpringBootApplication
public class MlTrainApplication {

    public static void main(String[] args) {
        SpringApplication.run(MlTrainApplication.class, args);
    }
}
