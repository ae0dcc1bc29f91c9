package io.ferry.node;

/**
 * A process as its node sees it.
 *
 * @param phase what its runner is doing: STARTING, IN_RUN, STOPPED (between runs), PAUSED or DONE
 * @param abandoned its thread ignored suspend() past the deadline and was given up on, yet may still run
 */
public record LocalProcess(String pid, long generation, String phase, boolean abandoned) {}
