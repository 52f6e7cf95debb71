package io.flare.plugin.internal;

import io.flare.api.exception.FlareException;
import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remote functions: on the caller, {@link #describe} reads a lambda's identity (cached per lambda
 * class) and refuses capturing lambdas; on a worker, {@link #resolve} turns the identity into a
 * spreading {@link MethodHandle}, once per node.
 */
final class Functions {
  private static final ConcurrentHashMap<Class<?>, Described> BY_CLASS = new ConcurrentHashMap<>();

  /** A descriptor with the positions whose parameter type is {@code ObjectRef}. */
  record Described(FunctionDescriptor descriptor, boolean[] refParameters) {}

  private final ClassLoader loader;
  private final String nodeId;
  private final ConcurrentHashMap<FunctionDescriptor, Invoker> invokers = new ConcurrentHashMap<>();

  Functions(ClassLoader loader, String nodeId) {
    this.loader = loader;
    this.nodeId = nodeId;
  }

  /**
   * The identity of a {@code FlareFunc*} method reference or lambda.
   *
   * @throws IllegalArgumentException when it captures variables or is not a lambda
   */
  static Described describe(Serializable f, String what) {
    Described known = BY_CLASS.get(f.getClass());
    if (known != null) {
      return known;
    }
    SerializedLambda sl = serializedLambda(f, what);
    if (sl.getCapturedArgCount() > 0) {
      String impl = sl.getImplClass().replace('/', '.') + "." + sl.getImplMethodName();
      throw new IllegalArgumentException(
          "The lambda passed to "
              + what
              + " ("
              + impl
              + ") captures "
              + sl.getCapturedArgCount()
              + " value(s) from its enclosing scope; captured values could not reach the worker."
              + " Pass a method reference (MyClass::method) or a lambda that uses only its"
              + " parameters, and pass the values as arguments.");
    }
    FunctionDescriptor d =
        new FunctionDescriptor(
            sl.getImplClass().replace('/', '.'),
            sl.getImplMethodName(),
            sl.getImplMethodSignature(),
            sl.getImplMethodKind());
    Described out = new Described(d, d.refParameters());
    BY_CLASS.putIfAbsent(f.getClass(), out);
    return out;
  }

  private static SerializedLambda serializedLambda(Serializable f, String what) {
    try {
      Method m = f.getClass().getDeclaredMethod("writeReplace");
      m.setAccessible(true);
      Object r = m.invoke(f);
      if (r instanceof SerializedLambda sl) {
        return sl;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not a lambda
    }
    throw new IllegalArgumentException(
        what
            + " takes a method reference (MyClass::method) or a non-capturing lambda; got an"
            + " instance of "
            + f.getClass().getName());
  }

  /** A callable form of {@code d} on this node, resolved once. */
  Invoker resolve(FunctionDescriptor d) {
    Invoker inv = invokers.get(d);
    if (inv == null) {
      inv = invokers.computeIfAbsent(d, this::load);
    }
    return inv;
  }

  private Invoker load(FunctionDescriptor d) {
    Class<?> cls;
    try {
      cls = Class.forName(d.className(), true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new FlareException(
          "Class "
              + d.className()
              + " of function "
              + d.displayName()
              + " cannot be loaded on node "
              + nodeId
              + " ("
              + e
              + "); put the application's classes on the servers' classpath",
          e);
    }
    try {
      MethodType type = MethodType.fromMethodDescriptorString(d.signature(), cls.getClassLoader());
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(cls, MethodHandles.lookup());
      MethodHandle mh =
          switch (d.kind()) {
            case MethodHandleInfo.REF_invokeStatic -> lookup.findStatic(cls, d.methodName(), type);
            case MethodHandleInfo.REF_invokeVirtual, MethodHandleInfo.REF_invokeInterface ->
                lookup.findVirtual(cls, d.methodName(), type);
            case MethodHandleInfo.REF_invokeSpecial ->
                lookup.findSpecial(cls, d.methodName(), type, cls);
            case MethodHandleInfo.REF_newInvokeSpecial -> lookup.findConstructor(cls, type);
            default -> throw new IllegalArgumentException("unsupported method kind " + d.kind());
          };
      // A varargs method takes its array as one argument (javac made any varargs adaptation of a
      // method reference into a bridge method already); without this the handle would collect
      // the array into another array.
      mh = mh.asFixedArity();
      int arity = mh.type().parameterCount();
      MethodHandle spread =
          mh.asType(MethodType.genericMethodType(arity)).asSpreader(Object[].class, arity);
      return new Invoker(d, spread, mh.type());
    } catch (ReflectiveOperationException | IllegalArgumentException | TypeNotPresentException e) {
      throw new FlareException(
          "Function " + d + " cannot be resolved on node " + nodeId + ": " + e, e);
    }
  }

  /** A resolved function: call it with its arguments (receiver first for instance methods). */
  record Invoker(FunctionDescriptor descriptor, MethodHandle spread, MethodType type) {
    Object invoke(Object[] args) throws Throwable {
      for (int i = 0; i < args.length; i++) {
        if (args[i] == null && type.parameterType(i).isPrimitive()) {
          throw new IllegalArgumentException(
              "argument "
                  + i
                  + " of "
                  + descriptor.displayName()
                  + " is null but the parameter is "
                  + type.parameterType(i));
        }
      }
      return (Object) spread.invokeExact(args);
    }
  }
}
