package dev.tlab.trainer.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.repository.zoo.ZooModel;
import java.util.LinkedHashMap;
import java.util.Map;

/** A TorchScript model loaded for training, with its parameters in PyTorch's order and names. */
public final class LoadedModel implements AutoCloseable {

    private final ZooModel<NDList, NDList> model;
    private final PtSymbolBlock block;
    private final Device device;

    LoadedModel(ZooModel<NDList, NDList> model, PtSymbolBlock block, Device device) {
        this.model = model;
        this.block = block;
        this.device = device;
    }

    public ZooModel<NDList, NDList> model() {
        return model;
    }

    public PtSymbolBlock block() {
        return block;
    }

    public Device device() {
        return device;
    }

    /** Parameters by PyTorch name ({@code conv1.weight}, {@code layer4.0.bn2.bias}, ...). Buffers are not included. */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        block.getParameters().forEach(p -> out.put(p.getValue().getName(), p.getValue()));
        return out;
    }

    /** Element count per parameter name, for {@code StrategyPlanner}. */
    public Map<String, Long> parameterSizes() {
        Map<String, Long> out = new LinkedHashMap<>();
        parameters().forEach((name, p) -> out.put(name, p.getArray().size()));
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
