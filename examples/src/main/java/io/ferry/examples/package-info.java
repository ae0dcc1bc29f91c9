/**
 * Example processes, each a small, complete {@link io.ferry.api.MigratableProcess} to copy from.
 *
 * <p>They share one pattern, which is what makes a process migrate correctly: {@code suspend()} only sets a
 * volatile flag, and {@code run()} returns at its next line or step boundary; all progress lives in serializable
 * fields (offsets inside the transactional streams, counters, maps); the wrappers ({@code DataInputStream},
 * {@code PrintStream}) are local to each {@code run()} call and rebuilt by the next; and a completed process
 * remembers that it is done, so that running it again writes nothing.
 *
 * <p>Read lines with {@code DataInputStream.readLine()} over a {@link io.ferry.api.TransactionalFileInputStream}:
 * it reads byte by byte, so the stream's offset is exactly the end of the last line handed out. Never put a
 * {@code BufferedReader} (or {@code BufferedInputStream}) on top: it reads ahead, and the bytes it had buffered
 * but not yet handed out are lost when the process moves. For the same reason, input should end its lines with
 * {@code \n} or {@code \r\n}: a lone {@code \r} makes {@code readLine()} push one byte back into a wrapper that
 * does not survive the move.
 *
 * <p>Bytes are decoded and encoded as ISO-8859-1, one char per byte, so any input, UTF-8 included, passes through
 * unchanged.
 */
package io.ferry.examples;
