package dev.tlab.kafka.local;

import dev.tlab.contracts.KafkaAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Makes the broker's users and ACLs exactly those of the users file and {@link KafkaAccess}: upserts every user's
 * SCRAM-SHA-512 credential (so a changed password takes effect at the next start), removes users and ACLs that are not
 * in the model, adds the missing ACLs, and waits until the broker enforces the result.
 */
final class AccessControl {
    private static final ScramMechanism MECHANISM = ScramMechanism.fromMechanismName(KafkaAccess.SASL_MECHANISM);
    /** Kafka's default and minimum for SCRAM-SHA-512. */
    private static final int ITERATIONS = 4096;

    private static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(30);

    private AccessControl() {}

    static void apply(Admin admin, KafkaUsers users) throws ExecutionException, InterruptedException {
        applyUsers(admin, users);
        applyAcls(admin);
    }

    /** The ACL that a grant of the model becomes: allow, from any host. */
    static AclBinding binding(KafkaAccess.Grant grant) {
        return new AclBinding(
                new ResourcePattern(
                        ResourceType.valueOf(grant.resourceType().name()),
                        grant.resourceName(),
                        PatternType.valueOf(grant.patternType().name())),
                new AccessControlEntry(
                        grant.identity().principal(),
                        "*",
                        AclOperation.valueOf(grant.operation().name()),
                        AclPermissionType.ALLOW));
    }

    static Set<AclBinding> modelBindings() {
        return KafkaAccess.grants().stream().map(AccessControl::binding).collect(Collectors.toSet());
    }

    private static void applyUsers(Admin admin, KafkaUsers users) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.describeUserScramCredentials().all().get().keySet();
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        for (String user : users.userNames()) {
            alterations.add(new UserScramCredentialUpsertion(
                    user, new ScramCredentialInfo(MECHANISM, ITERATIONS), users.password(user)));
        }
        for (String stale : existing) {
            if (!users.userNames().contains(stale)) {
                alterations.add(new UserScramCredentialDeletion(stale, MECHANISM));
            }
        }
        admin.alterUserScramCredentials(alterations).all().get();
        awaitPropagation(
                "the users of " + users.file(),
                () -> admin.describeUserScramCredentials().all().get().keySet().equals(users.userNames()));
    }

    private static void applyAcls(Admin admin) throws ExecutionException, InterruptedException {
        Set<AclBinding> wanted = modelBindings();
        Set<AclBinding> existing =
                new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get());
        List<AclBindingFilter> stale = existing.stream()
                .filter(b -> !wanted.contains(b))
                .map(AclBinding::toFilter)
                .toList();
        if (!stale.isEmpty()) {
            admin.deleteAcls(stale).all().get();
        }
        List<AclBinding> missing =
                wanted.stream().filter(b -> !existing.contains(b)).toList();
        if (!missing.isEmpty()) {
            admin.createAcls(missing).all().get();
        }
        awaitPropagation(
                "the ACLs of KafkaAccess",
                () -> Set.copyOf(admin.describeAcls(AclBindingFilter.ANY)
                                .values()
                                .get())
                        .equals(wanted));
    }

    /** Changes go through the controller; the broker applies them from the metadata log a moment later. */
    private static void awaitPropagation(String what, Check applied) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + PROPAGATION_TIMEOUT.toNanos();
        while (!applied.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not apply " + what + " within " + PROPAGATION_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    private interface Check {
        boolean holds() throws ExecutionException, InterruptedException;
    }
}
