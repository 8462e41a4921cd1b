package dev.tlab.trainer.engine.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a TorchScript model for fine-tuning on the PyTorch engine. {@code trainParam=true} makes DJL expose the
 * module's parameters as trainable {@code Parameter}s with PyTorch's names.
 */
public final class ModelLoader {

    private final ModelFileResolver files;

    public ModelLoader(ModelFileResolver files) {
        this.files = files;
    }

    public LoadedModel load(ModelSource source, Device device) {
        return load(source, device, 0);
    }

    /**
     * Loads the model and, when the source names pretrained weights, copies them in by name and gives the model a new
     * classifier initialised from {@code headSeed} (the job's seed). A file that does not fit fails here, before any
     * training, with what was expected.
     */
    public LoadedModel load(ModelSource source, Device device, long headSeed) {
        return load(source, device, headSeed, null);
    }

    /**
     * The same with a classifier of {@code classes} outputs (null: the model's own): a model whose {@code fc} has
     * another size gets a new one, initialised from {@code headSeed} ({@link ClassifierHead}).
     */
    public LoadedModel load(ModelSource source, Device device, long headSeed, Integer classes) {
        LoadedModel model = loadArchitecture(source, device);
        if (classes != null) {
            model = ClassifierHead.sized(
                    model, classes, headSeed, files.cacheDir().resolve("resized"), source.toString());
        }
        if (source.weights() == null) {
            return model;
        }
        try {
            Path file = weightsFile(source.weights());
            try {
                PretrainedWeights.apply(model, SafetensorsFile.open(file), headSeed);
            } catch (RuntimeException e) {
                files.discard(file); // a downloaded file that is no usable weights file is not kept
                throw e;
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Resolves (downloads, verifies) the weights file; its failures speak of weights, not of TorchScript. */
    private Path weightsFile(ModelSource weights) {
        try {
            return files.resolve(weights, "model.weightsUri", "model.weightsSha256");
        } catch (ModelUnavailableException e) {
            String problem = e.getMessage().replace(". " + ModelUnavailableException.HOW_TO, "");
            throw new ModelUnavailableException(
                    e.field(), "Pretrained weights: " + problem + ". " + PretrainedWeights.HOW_TO, true);
        }
    }

    private LoadedModel loadArchitecture(ModelSource source, Device device) {
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine("PyTorch")
                .optOption("trainParam", "true")
                .optTranslator(new NoopTranslator())
                .optDevice(device);
        if (source.kind() == ModelSource.Kind.MODEL_ZOO) {
            if (!files.access().modelZoo()) {
                throw new ModelUnavailableException("DJL model-zoo locations (" + source.uri()
                        + ") are not allowed on this trainer (tlab.trainer.model-hosts has no djl:// entry)");
            }
            // DJL resolves zoo URLs itself: from its cache, or by downloading unless offline mode is on.
            try {
                criteria.optModelUrls(source.uri());
                return load(criteria.build(), source.toString(), device);
            } catch (IllegalArgumentException e) {
                throw new ModelUnavailableException("Model " + source + " was not found in the DJL model zoo", e);
            }
        }
        Path file = files.resolve(source);
        try {
            requireTorchScriptArchive(file, source.toString());
            criteria.optModelPath(file);
            return load(criteria.build(), source.toString(), device);
        } catch (ModelUnavailableException e) {
            files.discard(file); // a downloaded file that is no loadable model is not kept
            throw e;
        }
    }

    /**
     * TorchScript files are zip archives. Anything else is refused here: handed to DJL, a file that fails to load
     * leaves a half-built model that only its finalizer closes, and that close can crash the JVM in native code.
     */
    static void requireTorchScriptArchive(Path file, String what) {
        if (Files.isDirectory(file)) {
            return; // a model folder: DJL picks the .pt inside
        }
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(magic, 0, 4) == 4
                    && magic[0] == 'P'
                    && magic[1] == 'K'
                    && magic[2] == 3
                    && magic[3] == 4) {
                return;
            }
        } catch (IOException e) {
            throw new ModelUnavailableException(
                    "Model " + what + " could not be loaded as TorchScript: " + e.getMessage(), e);
        }
        throw new ModelUnavailableException("Model " + what + " could not be loaded as TorchScript: it is not a"
                + " TorchScript archive (a zip file written by torch.jit.save)");
    }

    /** Loads a TorchScript file directly (used for checkpoints written by this engine). */
    public static LoadedModel loadFile(Path file, Device device) {
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine("PyTorch")
                .optOption("trainParam", "true")
                .optTranslator(new NoopTranslator())
                .optDevice(device)
                .optModelPath(file)
                .build();
        return load(criteria, file.toString(), device);
    }

    private static LoadedModel load(Criteria<NDList, NDList> criteria, String what, Device device) {
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException e) {
            throw new ModelUnavailableException(
                    "Model " + what + " was not found"
                            + (Utils.isOfflineMode() ? " (DJL offline mode is on, so nothing was downloaded)" : ""),
                    e);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            throw new ModelUnavailableException("Model " + what + " could not be loaded as TorchScript", e);
        }
        if (!(model.getBlock() instanceof PtSymbolBlock block)) {
            model.close();
            throw new ModelUnavailableException("Model " + what + " is not a TorchScript module");
        }
        if (block.getParameters().isEmpty()) {
            model.close();
            throw new ModelUnavailableException("Model " + what + " exposes no parameters; it must be a scripted"
                    + " (not frozen or traced-without-params) module");
        }
        return new LoadedModel(model, block, device);
    }
}
