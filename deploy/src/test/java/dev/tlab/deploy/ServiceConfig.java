package dev.tlab.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the services' own configuration says, where their files already exist. */
final class ServiceConfig {

    static final String TRAINER_GROUP_FALLBACK = "trainer-service";

    private ServiceConfig() {}

    static Path applicationProperties(String service) {
        return DeployFiles.repoRoot().resolve(service).resolve("src/main/resources/application.properties");
    }

    static Properties properties(String service) {
        Properties props = new Properties();
        Path file = applicationProperties(service);
        if (Files.isRegularFile(file)) {
            try (var in = Files.newBufferedReader(file)) {
                props.load(in);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return props;
    }

    /**
     * The consumer group with which the trainer reads training-jobs: the group.id of the incoming channel whose topic
     * is training-jobs, else the kafka.group.id, else the application name, else "trainer-service".
     */
    static String trainerGroup(String topic) {
        Properties props = properties("trainer-service");
        Pattern channelTopic = Pattern.compile("(?:%prod\\.)?mp\\.messaging\\.incoming\\.([^.]+)\\.topic");
        for (String key : props.stringPropertyNames()) {
            Matcher m = channelTopic.matcher(key);
            if (m.matches() && props.getProperty(key).trim().equals(topic)) {
                String group = props.getProperty("mp.messaging.incoming." + m.group(1) + ".group.id");
                if (group != null && !group.isBlank() && !group.contains("${")) {
                    return group.trim();
                }
            }
        }
        for (String key : new String[] {"kafka.group.id", "quarkus.application.name"}) {
            String value = props.getProperty(key);
            if (value != null && !value.isBlank() && !value.contains("${")) {
                return value.trim();
            }
        }
        return TRAINER_GROUP_FALLBACK;
    }

    /** The HTTP port of a service from quarkus.http.port, or the planned one. */
    static int httpPort(String service, int planned) {
        String value = properties(service).getProperty("quarkus.http.port");
        if (value == null || value.isBlank()) {
            return planned;
        }
        Matcher m = Pattern.compile("(\\d+)\\s*}?\\s*$").matcher(value.trim());
        return m.find() ? Integer.parseInt(m.group(1)) : planned;
    }

    /**
     * The environment-variable form (as SmallRye Config looks it up: every non-alphanumeric character becomes "_",
     * upper case) of each tlab.* configuration key mentioned in the given sources.
     */
    static java.util.Set<String> envFormsOfConfigKeys(String sources) {
        java.util.Set<String> forms = new java.util.HashSet<>();
        Matcher m = Pattern.compile("tlab\\.[a-z0-9][a-z0-9.-]*[a-z0-9]").matcher(sources);
        while (m.find()) {
            forms.add(m.group().replaceAll("[^a-z0-9]", "_").toUpperCase(Locale.ROOT));
        }
        return forms;
    }
}
