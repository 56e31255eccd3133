package dev.opskit.examples;

import dev.opskit.data.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The examples' domain: customers, their features, and a logistic-regression churn model written out in full. */
public final class Churn {
  private Churn() {}

  /**
   * A raw customer row; the raw data has a few rows without monthly charges.
   *
   * @param id the customer id
   * @param tenureMonths how long the customer has been with us
   * @param monthlyCharges the monthly bill, or null when missing
   * @param supportCalls calls to support last quarter
   * @param churned whether the customer left
   */
  public record Customer(String id, int tenureMonths, Double monthlyCharges, int supportCalls, boolean churned) {}

  /**
   * A standardized feature row, with a split assignment.
   *
   * @param id the customer id
   * @param tenure standardized tenure
   * @param charges standardized charges
   * @param calls standardized support calls
   * @param churned the label
   * @param holdout whether the row is held out for evaluation
   */
  public record Features(String id, double tenure, double charges, double calls, boolean churned, boolean holdout) {
    double[] x() {
      return new double[] {tenure, charges, calls};
    }
  }

  /**
   * Logistic regression weights; the first is the bias.
   *
   * @param weights bias, tenure, charges, calls
   */
  public record Model(List<Double> weights) {
    /**
     * Predicts the probability of churn.
     *
     * @param f the features
     * @return a probability
     */
    public double predict(Features f) {
      double[] x = f.x();
      double z = weights.get(0);
      for (int i = 0; i < x.length; i++) {
        z += weights.get(i + 1) * x[i];
      }
      return 1.0 / (1.0 + Math.exp(-z));
    }
  }

  /** Generates customers deterministically: churn is likelier with short tenure, high charges and many calls. */
  static Rows<Customer> generate(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Customer> customers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int tenure = random.nextInt(1, 72);
      double charges = Math.round((20 + random.nextDouble() * 100) * 100) / 100.0;
      int calls = random.nextInt(0, 8);
      double risk = -1.5 - 0.05 * tenure + 0.02 * charges + 0.45 * calls + random.nextGaussian() * 0.8;
      boolean missing = random.nextInt(40) == 0;
      customers.add(new Customer(String.format("c%05d", i), tenure, missing ? null : charges, calls, risk > 0));
    }
    return Rows.of(customers);
  }

  static Rows<Customer> clean(Rows<Customer> raw) {
    return raw.filter(c -> c.monthlyCharges() != null);
  }

  static Rows<Features> features(Rows<Customer> clean) {
    double[] mean = new double[3];
    double[] m2 = new double[3];
    long n = 0;
    for (Customer c : clean) {
      n++;
      double[] x = raw(c);
      for (int i = 0; i < 3; i++) {
        double delta = x[i] - mean[i];
        mean[i] += delta / n;
        m2[i] += delta * (x[i] - mean[i]);
      }
    }
    double[] sd = new double[3];
    for (int i = 0; i < 3; i++) {
      sd[i] = Math.sqrt(m2[i] / n);
    }
    List<Features> out = new ArrayList<>();
    for (Customer c : clean) {
      double[] x = raw(c);
      boolean holdout = Math.floorMod(c.id().hashCode(), 5) == 0;
      out.add(new Features(c.id(), (x[0] - mean[0]) / sd[0], (x[1] - mean[1]) / sd[1], (x[2] - mean[2]) / sd[2],
          c.churned(), holdout));
    }
    return Rows.of(out);
  }

  private static double[] raw(Customer c) {
    return new double[] {c.tenureMonths(), c.monthlyCharges(), c.supportCalls()};
  }

  /** Batch gradient descent on the log loss, over the rows not held out. */
  static Model train(Rows<Features> rows, int epochs, double learningRate) {
    List<Features> training = rows.filter(r -> !r.holdout()).toList();
    double[] w = new double[4];
    for (int epoch = 0; epoch < epochs; epoch++) {
      double[] gradient = new double[4];
      Model current = model(w);
      for (Features r : training) {
        double error = current.predict(r) - (r.churned() ? 1 : 0);
        double[] x = r.x();
        gradient[0] += error;
        for (int i = 0; i < 3; i++) {
          gradient[i + 1] += error * x[i];
        }
      }
      for (int i = 0; i < 4; i++) {
        w[i] -= learningRate * gradient[i] / training.size();
      }
    }
    return model(w);
  }

  private static Model model(double[] w) {
    List<Double> weights = new ArrayList<>();
    for (double v : w) {
      weights.add(Math.round(v * 1e9) / 1e9);
    }
    return new Model(weights);
  }

  /** Area under the ROC curve on the held-out rows, by the rank-sum formula. */
  static double auc(Model model, Rows<Features> rows) {
    List<double[]> scored = new ArrayList<>();
    for (Features r : rows) {
      if (r.holdout()) {
        scored.add(new double[] {model.predict(r), r.churned() ? 1 : 0});
      }
    }
    scored.sort((a, b) -> Double.compare(a[0], b[0]));
    double positives = 0;
    double rankSum = 0;
    for (int i = 0; i < scored.size(); i++) {
      if (scored.get(i)[1] == 1) {
        positives++;
        rankSum += i + 1;
      }
    }
    double negatives = scored.size() - positives;
    return Math.round((rankSum - positives * (positives + 1) / 2) / (positives * negatives) * 1e6) / 1e6;
  }
}
