package dev.tlab.kafka.local;

import dev.tlab.contracts.KafkaAccess;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The local broker's SCRAM users and their passwords, kept in one properties file ({@code user=password}) that only its
 * owner can read. Passwords are generated on first use, never shipped: the broker bootstraps its {@link #ADMIN} from
 * this file when it formats a new folder and (re)sets every other user from it at each start, so editing a password
 * here and restarting the broker rotates it. JDK only, so launchers and tests can use it without the broker's jars.
 */
public final class KafkaUsers {
    /** The local broker's own super user (inter-broker traffic, topics, users and ACLs); no service uses it. */
    public static final String ADMIN = "admin";

    private final Path file;
    private final Map<String, String> passwords;

    private KafkaUsers(Path file, Map<String, String> passwords) {
        this.file = file;
        this.passwords = Map.copyOf(passwords);
    }

    /**
     * Reads the file and adds a fresh random password for {@link #ADMIN} and every identity of {@link KafkaAccess} that
     * has none yet (writing the file back, owner-only), so the file always covers the whole access model.
     */
    public static KafkaUsers createOrLoad(Path file) {
        Path absolute = file.toAbsolutePath();
        Map<String, String> passwords = new TreeMap<>(read(absolute));
        boolean added = false;
        for (String user : expectedUsers()) {
            if (!passwords.containsKey(user)) {
                passwords.put(user, Secrets.newSecret());
                added = true;
            }
        }
        if (added) {
            write(absolute, passwords);
        }
        return new KafkaUsers(absolute, passwords);
    }

    /** The JAAS line a Kafka client (or the broker itself) logs in with as {@code user}. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    public Path file() {
        return file;
    }

    public Set<String> userNames() {
        return passwords.keySet();
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka user '" + user + "' in " + file);
        }
        return password;
    }

    /**
     * Client settings (Kafka's names) to connect as {@code identity}: SASL_PLAINTEXT, SCRAM-SHA-512 and its JAAS line.
     */
    public Map<String, String> clientProperties(KafkaAccess.Identity identity) {
        return clientProperties(identity.userName());
    }

    /** As {@link #clientProperties(KafkaAccess.Identity)}, for any user of the file (tests use {@link #ADMIN}). */
    public Map<String, String> clientProperties(String user) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("security.protocol", "SASL_PLAINTEXT");
        properties.put("sasl.mechanism", KafkaAccess.SASL_MECHANISM);
        properties.put("sasl.jaas.config", jaasConfig(user, password(user)));
        return properties;
    }

    /**
     * Writes the client settings of {@code identity} as a Kafka client properties file (owner-only), for tools such as
     * {@code kafka-console-producer --producer.config FILE} or {@code ./lab trigger --kafka-config FILE}.
     */
    public Path writeClientConfig(KafkaAccess.Identity identity, Path target) {
        StringBuilder text = new StringBuilder("# Kafka client settings for the user '" + identity.userName()
                + "' of the local broker (generated from " + file + ")\n");
        clientProperties(identity)
                .forEach((key, value) ->
                        text.append(key).append('=').append(value).append('\n'));
        Secrets.writeOwnerOnly(target, text.toString());
        return target.toAbsolutePath();
    }

    private static Set<String> expectedUsers() {
        Set<String> users = new java.util.LinkedHashSet<>();
        users.add(ADMIN);
        for (KafkaAccess.Identity identity : KafkaAccess.Identity.values()) {
            users.add(identity.userName());
        }
        return users;
    }

    private static Map<String, String> read(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka users file " + file, e);
        }
        Map<String, String> passwords = new TreeMap<>();
        properties
                .stringPropertyNames()
                .forEach(
                        user -> passwords.put(user, properties.getProperty(user).strip()));
        passwords.forEach((user, password) -> {
            if (password.isEmpty() || !password.matches("[A-Za-z0-9_.~+/=-]+")) {
                throw new IllegalArgumentException("the password of Kafka user '" + user + "' in " + file
                        + " is empty or has characters other than letters, digits and _.~+/=-");
            }
        });
        return passwords;
    }

    private static void write(Path file, Map<String, String> passwords) {
        Secrets.writeOwnerOnly(
                file,
                asProperties(
                        passwords,
                        "SCRAM-SHA-512 users of the local Kafka broker (generated;"
                                + " user=password). Change a password and restart the broker to rotate it."));
    }

    private static String asProperties(Map<String, String> entries, String comment) {
        Properties properties = new Properties();
        properties.putAll(entries);
        StringWriter text = new StringWriter();
        try {
            properties.store(text, comment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
