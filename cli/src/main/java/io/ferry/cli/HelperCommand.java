package io.ferry.cli;

import io.ferry.coordination.FerryException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "helper", mixinStandardHelpOptions = true,
        description = {"Shows or stops the helper: the warm JVM that short commands (ps, describe, launch...) hand"
                + " themselves to, so that they answer in a tenth of a second instead of starting a JVM each.",
            "The first short command that works starts one (in $FERRY_CACHE/helper, for you alone); it stops after"
                    + " $FERRY_HELPER_IDLE (10m) without a command. FERRY_HELPER=0 runs every command in its own JVM."})
final class HelperCommand implements Callable<Integer> {
    enum Action { status, stop }

    @Parameters(index = "0", arity = "0..1", defaultValue = "status", paramLabel = "status|stop",
            description = "status (the default): what it serves; stop: it stops once the commands it runs end")
    Action action;

    @Mixin
    JsonOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Helper helper = Helper.running(); // this command runs in the helper, or there is none
        if (helper == null) {
            if (action == Action.stop) {
                out.println("No helper is running for this installation.");
                out.flush();
                return 0;
            }
            throw new FerryException("No helper is running for this installation (the next short command that"
                    + " works starts one; FERRY_HELPER=0 turns helpers off)");
        }
        Helper.Status s = helper.status();
        if (action == Action.stop) {
            helper.stop();
        }
        if (output.json) {
            JsonOption.print(out, s);
            return 0;
        }
        if (action == Action.stop) {
            out.println("The helper (pid " + s.pid() + ") stops" + (s.running() > 0
                    ? " once the " + s.running() + " other commands it runs end" : "") + ".");
        } else {
            out.println("Helper pid " + s.pid() + ", up since " + Format.clock(s.started()) + ", " + s.served()
                    + " commands served, " + s.running() + " other running; it stops after " + s.idleExit()
                    + " without a command.");
            out.println("Socket " + s.socket());
            for (Helper.Session session : s.sessions()) {
                out.println("Session to " + session.connect() + (session.connected() ? "" : " (not connected)"));
            }
        }
        out.flush();
        return 0;
    }
}
