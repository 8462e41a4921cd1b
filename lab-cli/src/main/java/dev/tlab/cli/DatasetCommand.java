package dev.tlab.cli;

import picocli.CommandLine.Command;

/** {@code ./lab dataset ...}: the user's own datasets on the dataset service. */
@Command(
        name = "dataset",
        mixinStandardHelpOptions = true,
        description = "Your own image datasets on the dataset service.",
        subcommands = {DatasetUploadCommand.class})
class DatasetCommand {}
