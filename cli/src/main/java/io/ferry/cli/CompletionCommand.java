package io.ferry.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a bash (and zsh) completion script for ferry.",
            "Try it with: source <(bin/ferry completion); install it with:"
                    + " bin/ferry completion > /etc/bash_completion.d/ferry"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("ferry", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
