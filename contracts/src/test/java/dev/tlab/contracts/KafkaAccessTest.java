package dev.tlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.KafkaAccess.Grant;
import dev.tlab.contracts.KafkaAccess.Identity;
import dev.tlab.contracts.KafkaAccess.Operation;
import dev.tlab.contracts.KafkaAccess.PatternType;
import dev.tlab.contracts.KafkaAccess.ResourceType;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The access model's policy: who may start experiments or write results, and that it names real topics. */
class KafkaAccessTest {
    @Test
    void theTriggerUserMayOnlyWriteExperiments() {
        assertEquals(
                List.of(new Grant(
                        Identity.TRIGGER, ResourceType.TOPIC, "experiments", PatternType.LITERAL, Operation.WRITE)),
                Identity.TRIGGER.grants());
    }

    @Test
    void eachWorkTopicHasTheWritersOfTheSpec() {
        assertEquals(Set.of(Identity.DATASET_SERVICE, Identity.TRIGGER), writersOf(Topic.EXPERIMENTS));
        assertEquals(Set.of(Identity.DATASET_SERVICE), writersOf(Topic.DATASET_MANIFESTS));
        // the dataset service fans out the jobs; a trainer republishes the next attempt of a job that failed on it
        assertEquals(Set.of(Identity.DATASET_SERVICE, Identity.TRAINER), writersOf(Topic.TRAINING_JOBS));
        // trainers report jobs; the dataset service reports an experiment that failed after it was accepted
        assertEquals(Set.of(Identity.TRAINER, Identity.DATASET_SERVICE), writersOf(Topic.TRAINING_EVENTS));
        // DELETE /experiments/{id} is served by the dataset service alone
        assertEquals(Set.of(Identity.DATASET_SERVICE), writersOf(Topic.EXPERIMENT_CANCELLATIONS));
    }

    @Test
    void readOnlyIdentitiesWriteNothing() {
        for (Identity identity : List.of(Identity.VIEWER, Identity.AUTOSCALER)) {
            assertTrue(identity.grants().stream().noneMatch(g -> g.operation() == Operation.WRITE), identity.name());
        }
        assertTrue(Identity.AUTOSCALER.grants().stream().allMatch(g -> g.operation() == Operation.DESCRIBE));
    }

    @Test
    void grantsNameRealTopicsLiterallyAndGroupsOnlyForReading() {
        for (Grant grant : KafkaAccess.grants()) {
            if (grant.resourceType() == ResourceType.TOPIC) {
                assertEquals(PatternType.LITERAL, grant.patternType(), grant.toString());
                assertEquals(
                        grant.resourceName(), Topic.byName(grant.resourceName()).topicName());
            } else {
                assertFalse(grant.operation() == Operation.WRITE, grant.toString());
            }
        }
        assertEquals(
                KafkaAccess.grants().size(), Set.copyOf(KafkaAccess.grants()).size(), "no grant twice");
    }

    @Test
    void userNamesAreUniqueAndEveryIdentityMayDoSomething() {
        assertEquals(
                Identity.values().length,
                Arrays.stream(Identity.values())
                        .map(Identity::userName)
                        .collect(Collectors.toSet())
                        .size());
        for (Identity identity : Identity.values()) {
            assertFalse(identity.grants().isEmpty(), identity.name());
            assertEquals(identity, Identity.byUserName(identity.userName()));
        }
    }

    private static Set<Identity> writersOf(Topic topic) {
        return KafkaAccess.grants().stream()
                .filter(g -> g.resourceType() == ResourceType.TOPIC
                        && g.resourceName().equals(topic.topicName())
                        && g.operation() == Operation.WRITE)
                .map(Grant::identity)
                .collect(Collectors.toSet());
    }
}
