package dev.tlab.trainer.engine.model;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Gives a loaded model a classifier {@code fc} of N outputs, for a dataset of N classes, keeping everything a job and a
 * user rely on: the parameter names {@code fc.weight} and {@code fc.bias}, their count (512 N + N on ResNet-18), the
 * initialisation of {@code nn.Linear} from the job's seed, checkpoints, and a kept model that is one TorchScript file.
 *
 * <p>How: DJL 0.36 cannot replace a submodule of a TorchScript module, and its {@code PtSymbolBlock} reads the module's
 * parameters once, at load ({@code PtModel.load} freezes them), and keeps those tensors. A TorchScript method, though,
 * may assign a module's parameters (TorchScript compiles the assignment to {@code prim::SetAttr} on the parameter slot,
 * which stays a parameter). The architectures the project ships (and every model {@code export_resnet18.py} writes)
 * have such a method, {@code replace_classifier(classes)}: {@code fc} gets zero tensors of the new shape and its
 * {@code out_features} the new size. It is called once through DJL ({@code IValueUtils.runMethod}, as the engine's
 * fused AdamW calls its module); the module is then written and loaded again, so that DJL reads the new tensors, and
 * the head is initialised like {@code nn.Linear} from the seed ({@link PretrainedWeights#newHead}).
 */
public final class ClassifierHead {

    /** The scripted method that resizes {@code fc} (see trainer-service/scripts/export_resnet18.py). */
    public static final String METHOD = "replace_classifier";

    private ClassifierHead() {}

    /** The outputs of the model's classifier {@code fc}, from its bias (or its weight's rows). */
    public static int outputs(LoadedModel model) {
        var params = model.parameters();
        if (params.containsKey("fc.bias")) {
            return (int) params.get("fc.bias").getArray().size();
        }
        if (params.containsKey("fc.weight")) {
            return (int) params.get("fc.weight").getArray().getShape().get(0);
        }
        throw new ModelUnavailableException("numClasses", "The model has no classifier fc.weight/fc.bias to size");
    }

    /**
     * The model with an {@code fc} of {@code classes} outputs: the same model when it has them already, else a new one
     * (the given one is closed) whose head is initialised from {@code seed}.
     *
     * @param scratch a folder for the resized module while it is loaded again (the file is removed afterwards)
     * @throws ModelUnavailableException naming {@code numClasses} when the model's head has another size and the model
     *     cannot change it
     */
    public static LoadedModel sized(LoadedModel model, int classes, long seed, Path scratch, String what) {
        int outputs = outputs(model);
        if (outputs == classes) {
            return model;
        }
        if (!Arrays.asList(JniUtils.getMethodNames(model.block())).contains(METHOD)) {
            model.close();
            throw new ModelUnavailableException(
                    "numClasses",
                    "The dataset has " + classes + " classes but the classifier fc of model " + what + " has " + outputs
                            + " outputs, and the model has no " + METHOD + " method to change that. Use"
                            + " builtin:resnet18 with pretrained weights, a model exported by"
                            + " trainer-service/scripts/export_resnet18.py (its models can take any number of"
                            + " classes), or one exported with --classes " + classes,
                    true);
        }
        Device device = model.device();
        Path file;
        try {
            try (IValue size = IValue.from((long) classes);
                    IValue ignored = IValueUtils.runMethod(model.block(), METHOD, size)) {
                Files.createDirectories(scratch);
                file = Files.createTempFile(scratch, "classes-" + classes + "-", ".pt");
                try (OutputStream out = Files.newOutputStream(file)) {
                    JniUtils.writeModule(model.block(), out, false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the resized model " + what + " into " + scratch, e);
        } catch (EngineException e) {
            throw new ModelUnavailableException(
                    "numClasses", "The classifier of model " + what + " could not be given " + classes + " outputs", e);
        } finally {
            model.close();
        }
        try {
            LoadedModel resized = ModelLoader.loadFile(file, device);
            var params = resized.parameters();
            PretrainedWeights.newHead(params.get("fc.weight"), params.get("fc.bias"), seed);
            return resized;
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }
}
