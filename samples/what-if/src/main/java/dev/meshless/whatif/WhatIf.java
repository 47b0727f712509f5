package dev.meshless.whatif;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The what-if simulator's command line: {@code java -jar meshless-what-if.jar FILE} reads a topology
 * and prints, as JSON on stdout, how the real Meshless balancer splits the caller's traffic.
 *
 * <p>Stdout carries only the JSON answer. Errors are one {@code error:} line on stderr, without a
 * stack trace; the exit code says which kind (see {@link #EXIT_OK}, {@link #EXIT_INTERNAL_ERROR},
 * {@link #EXIT_BAD_INPUT}). Core warnings (such as entering panic) are logged to stderr.
 */
public final class WhatIf {

    /** The answer was printed; also when the plan is unroutable (the answer then says why). */
    public static final int EXIT_OK = 0;
    /** Something failed that the input does not explain: a bug. */
    public static final int EXIT_INTERNAL_ERROR = 1;
    /** The command line or the topology file is wrong. */
    public static final int EXIT_BAD_INPUT = 2;

    static final String USAGE_LINE = "usage: java -jar meshless-what-if.jar [--help] FILE";

    static final String HELP = USAGE_LINE + "\n"
            + "\n"
            + "Prints, as JSON on stdout, how the Meshless locality-aware balancer splits a caller's\n"
            + "traffic over tiers, zones, regions and endpoints for the topology in FILE (YAML when FILE\n"
            + "ends in .yaml or .yml, JSON otherwise).\n"
            + "\n"
            + "The topology's \"picks\" chooses the mode:\n"
            + "  picks > 0 (default " + Topology.DEFAULT_PICKS + ")  sampled: calls pick() that many times on a real\n"
            + "                              LocalityLoadBalancer and reports count / picks (varies a\n"
            + "                              little from run to run; at most " + Topology.MAX_PICKS + " picks)\n"
            + "  picks = 0                   exact: reports the routing plan's shares (deterministic)\n"
            + "\n"
            + "Output: {\"byTier\", \"byZone\", \"byRegion\", \"byEndpoint\": fractions summing to 1,\n"
            + "         \"panic\": boolean, \"panicTiers\": [tier numbers],\n"
            + "         \"unroutable\": reason, only when nothing can be picked (the maps are then empty)}\n"
            + "\n"
            + "Exit codes: 0 answer printed, 1 internal error, 2 bad command line or topology\n"
            + "(errors are one \"error:\" line on stderr). File format: samples/what-if/README.md\n";

    private WhatIf() {
    }

    /**
     * Entry point of the jar.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the tool once.
     *
     * @param args the command line: {@code FILE}, or {@code --help}
     * @param out receives the JSON answer or the help text, and nothing else
     * @param err receives at most one {@code error:} line
     * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_INTERNAL_ERROR} or {@link #EXIT_BAD_INPUT}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
                out.print(HELP);
                out.flush();
                return EXIT_OK;
            }
            String file = fileArgument(args);
            Split split = Simulator.run(TopologyReader.read(file));
            out.println(split.toJson());
            out.flush();
            return EXIT_OK;
        } catch (InputException e) {
            err.println("error: " + oneLine(e.getMessage()));
            return EXIT_BAD_INPUT;
        } catch (RuntimeException | Error e) {
            // The promise is one line whatever happens; a stack trace would break tools that read stderr.
            err.println("error: internal error: " + oneLine(e.toString()));
            return EXIT_INTERNAL_ERROR;
        }
    }

    private static String fileArgument(String[] args) throws InputException {
        if (args.length == 0) {
            throw new InputException("missing FILE; " + USAGE_LINE);
        }
        if (args.length > 1) {
            throw new InputException("expected one FILE, but got " + args.length + " arguments; " + USAGE_LINE);
        }
        if (args[0].startsWith("-") && args[0].length() > 1) {
            throw new InputException("unknown option " + Fields.quote(args[0]) + "; " + USAGE_LINE);
        }
        return args[0];
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\R", " ");
    }
}
