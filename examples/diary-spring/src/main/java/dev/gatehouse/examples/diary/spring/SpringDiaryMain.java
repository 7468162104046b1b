package dev.gatehouse.examples.diary.spring;

import dev.gatehouse.examples.diary.DiaryHandlers;
import dev.gatehouse.examples.diary.DiarySetup;
import dev.gatehouse.servlet.GatehouseFilter;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the diary on Spring Boot: {@code java -jar diary-spring.jar} with the Javalin diary's
 * options ({@code --port}, {@code --host}, {@code --data}, {@code --db-url}, {@code --db-user},
 * {@code --demo}, {@code --help}) and environment ({@code GATEHOUSE_*}, {@code DIARY_DB_*}), read by
 * the same {@link DiarySetup}. The command line is the diary's, not Spring's: Spring sees no
 * arguments, and the port and address come from the options.
 */
public final class SpringDiaryMain {

    private SpringDiaryMain() {
    }

    /** A started diary and what it holds open. */
    public record Running(ConfigurableApplicationContext context, DiarySetup.Backend backend, String url)
            implements AutoCloseable {

        /** The port Tomcat listens on. */
        public int port() {
            return SpringDiaryMain.port(context);
        }

        /** Stops Spring (the filter's mail delivery with it), then closes the database. */
        @Override
        public void close() {
            context.close();
            backend.close();
        }
    }

    public static void main(String[] args) {
        // A taken port ends in Spring Boot's own "Web server failed to start" report.
        DiarySetup.main(args, SpringDiaryMain::launch);
    }

    /** Connects, migrates, seeds and starts the diary as {@code options} and {@code environment} say. */
    public static Running launch(DiarySetup.Options options, Map<String, String> environment, PrintStream out) {
        DiarySetup.Backend backend = DiarySetup.open(options, environment, out);
        try {
            SpringApplication application = new SpringApplication(SpringDiary.class);
            application.setBannerMode(Banner.Mode.OFF);
            application.setLogStartupInfo(false);
            // The diary's options, not Spring's: "--port 8080" is not Spring's "--server.port=8080".
            application.setAddCommandLineProperties(false);
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("server.port", backend.port());
            properties.put("server.address", options.host());
            // Gatehouse's routes and the diary's are all there is: no static resources, so an unknown
            // path reaches no handler and gets the diary's 404 page (DiaryErrors).
            properties.put("spring.web.resources.add-mappings", false);
            application.setDefaultProperties(properties);
            application.addInitializers(context -> {
                // The diary's Gatehouse as DiarySetup built it: the starter's own beans back off.
                var beans = context.getBeanFactory();
                beans.registerSingleton("gatehouseConfig", backend.config());
                beans.registerSingleton("gatehouse", backend.gatehouse());
                beans.registerSingleton("diaryWebOptions", DiarySetup.webOptions(backend.gatehouse()));
                beans.registerSingleton("diaryHandlers", new DiaryHandlers(backend.gatehouse(), backend.entries()));
            });
            ConfigurableApplicationContext context = application.run();
            String address = "http://localhost:" + port(context) + "/";
            DiarySetup.printStarted(out, backend, address, context.getBean(GatehouseFilter.class).web().background().mailDestination());
            return new Running(context, backend, address);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
