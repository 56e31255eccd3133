package dev.opskit.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The example's domain: customers, their features, and a logistic-regression churn model written out in full. */
final class Churn {
  private Churn() {}

  /** A raw customer row; {@code monthlyCharges} is sometimes missing (negative) in the raw data. */
  record Customer(String id, int tenureMonths, double monthlyCharges, int supportCalls, boolean churned) {}

  /** A standardized feature row. */
  record Features(String id, double[] x, boolean churned) {}

  /** Logistic regression weights; the first is the bias. */
  record Model(double[] weights) {
    double predict(double[] x) {
      double z = weights[0];
      for (int i = 0; i < x.length; i++) {
        z += weights[i + 1] * x[i];
      }
      return 1.0 / (1.0 + Math.exp(-z));
    }
  }

  /** Generates customers deterministically: churn is likelier with short tenure, high charges and many calls. */
  static List<Customer> generate(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Customer> customers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int tenure = random.nextInt(1, 72);
      double charges = 20 + random.nextDouble() * 100;
      int calls = random.nextInt(0, 8);
      double risk = -1.5 - 0.05 * tenure + 0.02 * charges + 0.45 * calls + random.nextGaussian() * 0.8;
      boolean churned = risk > 0;
      boolean missing = random.nextInt(40) == 0;
      customers.add(new Customer(String.format("c%05d", i), tenure, missing ? -1 : charges, calls, churned));
    }
    return customers;
  }

  static List<Customer> clean(List<Customer> raw) {
    return raw.stream().filter(c -> c.monthlyCharges() >= 0).toList();
  }

  static List<Features> features(List<Customer> clean) {
    double[] mean = new double[3];
    double[] sd = new double[3];
    for (Customer c : clean) {
      double[] x = raw(c);
      for (int i = 0; i < 3; i++) {
        mean[i] += x[i] / clean.size();
      }
    }
    for (Customer c : clean) {
      double[] x = raw(c);
      for (int i = 0; i < 3; i++) {
        sd[i] += (x[i] - mean[i]) * (x[i] - mean[i]) / clean.size();
      }
    }
    List<Features> out = new ArrayList<>(clean.size());
    for (Customer c : clean) {
      double[] x = raw(c);
      for (int i = 0; i < 3; i++) {
        x[i] = (x[i] - mean[i]) / Math.sqrt(sd[i]);
      }
      out.add(new Features(c.id(), x, c.churned()));
    }
    return out;
  }

  private static double[] raw(Customer c) {
    return new double[] {c.tenureMonths(), c.monthlyCharges(), c.supportCalls()};
  }

  /** Batch gradient descent on the log loss. */
  static Model train(List<Features> rows, int epochs, double learningRate) {
    double[] w = new double[4];
    for (int epoch = 0; epoch < epochs; epoch++) {
      double[] gradient = new double[4];
      Model current = new Model(w.clone());
      for (Features r : rows) {
        double error = current.predict(r.x()) - (r.churned() ? 1 : 0);
        gradient[0] += error;
        for (int i = 0; i < 3; i++) {
          gradient[i + 1] += error * r.x()[i];
        }
      }
      for (int i = 0; i < 4; i++) {
        w[i] -= learningRate * gradient[i] / rows.size();
      }
    }
    return new Model(w);
  }

  /** Area under the ROC curve, by the rank-sum formula. */
  static double auc(Model model, List<Features> rows) {
    List<double[]> scored = new ArrayList<>();
    for (Features r : rows) {
      scored.add(new double[] {model.predict(r.x()), r.churned() ? 1 : 0});
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
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
  }
}
