package example.host.boot;

import example.host.HostScenario;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application that trains, registers and promotes a model with opskit when asked over HTTP, and
 * answers with the result as JSON written by Boot's own Jackson.
 */
@SpringBootApplication
@RestController
public class ChurnApplication {
  private final Path workspaces;
  private final AtomicInteger runs = new AtomicInteger();

  /**
   * Makes the controller.
   *
   * @param workspaces the directory under which each request gets a fresh workspace
   */
  public ChurnApplication(@Value("${opskit.workspaces:${java.io.tmpdir}/opskit-host}") Path workspaces) {
    this.workspaces = workspaces;
  }

  /**
   * Runs the scenario on a fresh workspace.
   *
   * @return the result, as JSON
   */
  @PostMapping("/churn/train")
  public HostScenario.Result train() {
    return HostScenario.run(workspaces.resolve("ws-" + runs.incrementAndGet()));
  }

  /**
   * Starts the application.
   *
   * @param args Spring Boot's arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(ChurnApplication.class, args);
  }
}
