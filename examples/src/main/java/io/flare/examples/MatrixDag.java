package io.flare.examples;

import io.flare.api.Flare;
import io.flare.api.ObjectRef;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A task graph, the second step of the Ray tutorial: two tasks create matrices, a third multiplies
 * them, and the matrices pass from task to task by {@link ObjectRef}, never through the driver.
 *
 * <p>In Ray:
 *
 * <pre>
 * a = create_matrix.remote([1000, 1000])
 * b = create_matrix.remote([1000, 1000])
 * c = multiply_matrices.remote(a, b)
 * result = ray.get(c)
 * </pre>
 *
 * <p>In Flare the refs {@code a} and {@code b} are the arguments of {@code multiplyMatrices}: the
 * multiplication starts when both matrices are ready, and gets their values, not the refs. The two
 * {@code createMatrix} tasks run in parallel. Ray's matrices are random; here each has a seed, so
 * that the driver can compute the same product locally and check the one the cluster returned
 * (Java's floating point is deterministic, so the two are equal to the last bit).
 *
 * <p>Expected output (the default size is {@value #DEFAULT_SIZE}; a program argument changes it;
 * the time varies):
 *
 * <pre>
 * MatrixDag: 500x500 product checksum=-1110.653879 (local: -1110.653879, equal) in 0.43 s
 * </pre>
 *
 * <p>Run it alone with {@code mvn -q -pl examples exec:exec@run-examples
 * -Dexample=io.flare.examples.MatrixDag -Dexample.args=1000}.
 */
public final class MatrixDag {
  /** The side of the matrices when no size is given. */
  static final int DEFAULT_SIZE = 500;

  /** The seeds of the two matrices. */
  static final long SEED_A = 1;

  static final long SEED_B = 2;

  private MatrixDag() {}

  /**
   * A square matrix of doubles, stored row by row in one array (which travels between nodes in one
   * piece). Its array is shared, not copied: do not change it.
   *
   * @param size the number of rows and of columns
   * @param values the {@code size * size} entries, row after row
   */
  public record Matrix(int size, double[] values) {
    /** Checks that {@code values} holds {@code size * size} entries. */
    public Matrix {
      if (size < 1 || values.length != size * size) {
        throw new IllegalArgumentException(
            "a "
                + size
                + "x"
                + size
                + " matrix needs "
                + size * size
                + " values, not "
                + values.length);
      }
    }

    /** The sum of all entries: one number to compare two products by. */
    public double checksum() {
      double sum = 0;
      for (double v : values) {
        sum += v;
      }
      return sum;
    }

    @Override
    public String toString() {
      return "Matrix[" + size + "x" + size + "]";
    }
  }

  /**
   * A {@code size x size} matrix of uniform values in [-1, 1) drawn from {@code seed}. Runs as a
   * task.
   */
  public static Matrix createMatrix(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[size * size];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextDouble(-1, 1);
    }
    return new Matrix(size, values);
  }

  /** The product {@code a * b}. Runs as a task. */
  public static Matrix multiplyMatrices(Matrix a, Matrix b) {
    int n = a.size();
    if (b.size() != n) {
      throw new IllegalArgumentException(
          "cannot multiply a " + n + "x" + n + " by a " + b.size() + "x" + b.size() + " matrix");
    }
    double[] x = a.values();
    double[] y = b.values();
    double[] product = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        double xik = x[i * n + k];
        for (int j = 0; j < n; j++) {
          product[i * n + j] += xik * y[k * n + j];
        }
      }
    }
    return new Matrix(n, product);
  }

  /**
   * Creates two {@code size x size} matrices in two tasks and multiplies them in a third that takes
   * the first two's refs; returns the product. Requires a started Flare; blocks until the product
   * is ready.
   */
  public static Matrix run(int size) {
    ObjectRef<Matrix> a = Flare.task(MatrixDag::createMatrix, size, SEED_A).remote();
    ObjectRef<Matrix> b = Flare.task(MatrixDag::createMatrix, size, SEED_B).remote();
    ObjectRef<Matrix> c = Flare.task(MatrixDag::multiplyMatrices, a, b).remote();
    return Flare.get(c);
  }

  /** {@link #run(int)} with the default size. */
  public static Matrix run() {
    return run(DEFAULT_SIZE);
  }

  /** The product {@link #run(int)} must return, computed in this thread without Flare. */
  public static Matrix expected(int size) {
    return multiplyMatrices(createMatrix(size, SEED_A), createMatrix(size, SEED_B));
  }

  /** Runs the example on the started Flare, checks and prints its result and wall time. */
  static void runAndPrint(int size) {
    long start = System.nanoTime();
    Matrix product = run(size);
    double seconds = ExampleSupport.secondsSince(start);
    Matrix local = expected(size);
    boolean equal = Arrays.equals(product.values(), local.values());
    System.out.printf(
        Locale.ROOT,
        "MatrixDag: %dx%d product checksum=%.6f (local: %.6f, %s) in %s%n",
        size,
        size,
        product.checksum(),
        local.checksum(),
        equal ? "equal" : "DIFFERENT",
        ExampleSupport.seconds(seconds));
    ExampleSupport.check(equal, "MatrixDag: the product differs from the local one");
  }

  /** {@link #runAndPrint(int)} with the default size. */
  static void runAndPrint() {
    runAndPrint(DEFAULT_SIZE);
  }

  /**
   * Starts Flare (honouring {@code -Dflare.config}), runs the example, stops Flare. The optional
   * argument is the matrix size (default {@value #DEFAULT_SIZE}).
   */
  public static void main(String[] args) {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_SIZE;
    Flare.init();
    try {
      runAndPrint(size);
    } finally {
      Flare.shutdown();
    }
  }
}
