package dev.tlab.trainer.job;

/** Hears when this trainer starts and stops training a job (e.g. to tell Kubernetes which pod to remove first). */
@FunctionalInterface
public interface TrainerActivity {
    void training(boolean busy);

    TrainerActivity NONE = busy -> {};
}
