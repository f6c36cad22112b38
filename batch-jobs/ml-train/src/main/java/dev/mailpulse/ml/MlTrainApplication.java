package dev.mailpulse.ml;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.task.configuration.EnableTask;

/** The nightly model training as a task: one run of the training job (pipeline-ml) with the command line, then its exit code. */
@SpringBootApplication
@EnableTask
public class MlTrainApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(MlTrainApplication.class, args)));
    }
}
