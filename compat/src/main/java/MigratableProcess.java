/**
 * The classic, default-package {@code MigratableProcess}, so that course-style processes compile and run on Ferry
 * unchanged. The extra methods that classic processes override are declared here as defaults that do nothing;
 * Ferry never relies on them.
 */
public interface MigratableProcess extends io.ferry.api.MigratableProcess {

    /** Classic processes print their state here; Ferry does not call it. */
    default void print() {}

    /** Classic clean-up hook; Ferry does not call it. */
    default void remove() {}

    /** Classic completion flag; Ferry learns completion from {@code run()} returning. */
    default boolean getFinished() {
        return false;
    }

    /** Classic resume hook; Ferry resumes a process by calling {@code run()} again. */
    default void resume() {}
}
