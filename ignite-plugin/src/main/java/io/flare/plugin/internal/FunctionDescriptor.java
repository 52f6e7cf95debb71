package io.flare.plugin.internal;

import java.lang.invoke.MethodHandleInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * A remote function's identity, read once per lambda class from its {@code SerializedLambda}: the
 * implementing class, method name, JVM descriptor and reference kind ({@link MethodHandleInfo}
 * {@code REF_*}). Only these travel to workers, never the lambda object.
 */
record FunctionDescriptor(String className, String methodName, String signature, int kind) {

  /** How many values the implementation takes: the receiver counts for instance methods. */
  int arity() {
    int params = parameterCount(signature);
    return switch (kind) {
      case MethodHandleInfo.REF_invokeVirtual,
          MethodHandleInfo.REF_invokeInterface,
          MethodHandleInfo.REF_invokeSpecial ->
          params + 1;
      default -> params;
    };
  }

  boolean isConstructor() {
    return kind == MethodHandleInfo.REF_newInvokeSpecial;
  }

  /**
   * A readable name: {@code Counter.increment}, {@code Counter.new}, {@code lambda in Main.main}.
   */
  String displayName() {
    String simple = className.substring(className.lastIndexOf('.') + 1);
    if (methodName.startsWith("lambda$")) {
      String[] parts = methodName.split("\\$");
      return "lambda in " + simple + (parts.length > 1 ? "." + parts[1] : "");
    }
    return simple + "." + (isConstructor() ? "new" : methodName);
  }

  @Override
  public String toString() {
    return className + "." + methodName + signature;
  }

  /**
   * Which argument positions (receiver first for instance methods) are declared as {@code
   * ObjectRef}: a ref passed there is handed to the function as the ref itself, not resolved.
   */
  boolean[] refParameters() {
    List<String> params = parameterDescriptors(signature);
    int offset = arity() - params.size();
    boolean[] out = new boolean[arity()];
    for (int i = 0; i < params.size(); i++) {
      out[offset + i] = params.get(i).equals("Lio/flare/api/ObjectRef;");
    }
    return out;
  }

  static List<String> parameterDescriptors(String desc) {
    List<String> out = new ArrayList<>();
    int i = 1;
    while (desc.charAt(i) != ')') {
      int start = i;
      char c = desc.charAt(i);
      while (c == '[') {
        c = desc.charAt(++i);
      }
      if (c == 'L') {
        i = desc.indexOf(';', i);
      }
      i++;
      out.add(desc.substring(start, i));
    }
    return out;
  }

  static int parameterCount(String desc) {
    int count = 0;
    int i = 1;
    while (desc.charAt(i) != ')') {
      char c = desc.charAt(i);
      while (c == '[') {
        c = desc.charAt(++i);
      }
      if (c == 'L') {
        i = desc.indexOf(';', i);
      }
      i++;
      count++;
    }
    return count;
  }
}
