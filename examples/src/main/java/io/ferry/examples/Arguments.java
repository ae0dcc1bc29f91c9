package io.ferry.examples;

/** Checks the command-line arguments of an example; every failure is an IllegalArgumentException led by the usage. */
final class Arguments {
    private Arguments() {}

    /** Returns {@code args} when it holds exactly {@code count} arguments. */
    static String[] require(String[] args, int count, String usage) {
        if (args == null || args.length != count) {
            throw new IllegalArgumentException(usage);
        }
        return args.clone();
    }

    static int integer(String value, String name, String usage) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage + " (" + name + " must be an integer, got '" + value + "')", e);
        }
    }

    static int positiveInt(String value, String name, String usage) {
        int number = integer(value, name, usage);
        if (number <= 0) {
            throw new IllegalArgumentException(usage + " (" + name + " must be positive, got " + number + ")");
        }
        return number;
    }

    static long positiveLong(String value, String name, String usage) {
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage + " (" + name + " must be an integer, got '" + value + "')", e);
        }
        if (number <= 0) {
            throw new IllegalArgumentException(usage + " (" + name + " must be positive, got " + number + ")");
        }
        return number;
    }
}
