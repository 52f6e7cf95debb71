package io.flare.store.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.flare.api.exception.FlareSerializationException;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Lambdas and method references (Kryo routes every one to this serializer). A {@link Serializable}
 * one travels as the parts of its {@link SerializedLambda} (its captured values through Kryo) and
 * is re-created by its capturing class's {@code $deserializeLambda$}, as Java serialization does;
 * only the lambda's own and its capturing class's private methods are called reflectively, so no
 * {@code --add-opens} of JDK packages is needed. Any other lambda fails clearly: the JVM offers no
 * way to re-create it elsewhere.
 */
final class LambdaSerializer extends Serializer<Object> {
  private static final ClassValue<Method> WRITE_REPLACE =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> lambdaClass) {
          return accessible(lambdaClass, "writeReplace");
        }
      };

  private static final ClassValue<Method> DESERIALIZE_LAMBDA =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> capturingClass) {
          return accessible(capturingClass, "$deserializeLambda$", SerializedLambda.class);
        }
      };

  @Override
  public void write(Kryo kryo, Output output, Object lambda) {
    if (!(lambda instanceof Serializable)) {
      throw new FlareSerializationException(
          "a lambda or method reference whose functional interface is not Serializable cannot"
              + " leave this JVM; give it a Serializable target type (such as Flare's FlareFunc"
              + " interfaces)");
    }
    SerializedLambda form = (SerializedLambda) invoke(WRITE_REPLACE.get(lambda.getClass()), lambda);
    Class<?> capturingClass;
    try {
      capturingClass =
          Class.forName(
              form.getCapturingClass().replace('/', '.'),
              false,
              lambda.getClass().getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new KryoException(
          "capturing class of lambda not found: " + form.getCapturingClass(), e);
    }
    kryo.writeClass(output, capturingClass);
    output.writeString(form.getFunctionalInterfaceClass());
    output.writeString(form.getFunctionalInterfaceMethodName());
    output.writeString(form.getFunctionalInterfaceMethodSignature());
    output.writeVarInt(form.getImplMethodKind(), true);
    output.writeString(form.getImplClass());
    output.writeString(form.getImplMethodName());
    output.writeString(form.getImplMethodSignature());
    output.writeString(form.getInstantiatedMethodType());
    output.writeVarInt(form.getCapturedArgCount(), true);
    for (int i = 0; i < form.getCapturedArgCount(); i++) {
      kryo.writeClassAndObject(output, form.getCapturedArg(i));
    }
  }

  @Override
  public Object read(Kryo kryo, Input input, Class<?> type) {
    Class<?> capturingClass = kryo.readClass(input).getType();
    String functionalInterfaceClass = input.readString();
    String functionalInterfaceMethodName = input.readString();
    String functionalInterfaceMethodSignature = input.readString();
    int implMethodKind = input.readVarInt(true);
    String implClass = input.readString();
    String implMethodName = input.readString();
    String implMethodSignature = input.readString();
    String instantiatedMethodType = input.readString();
    Object[] capturedArgs = new Object[input.readVarInt(true)];
    for (int i = 0; i < capturedArgs.length; i++) {
      capturedArgs[i] = kryo.readClassAndObject(input);
    }
    SerializedLambda form =
        new SerializedLambda(
            capturingClass,
            functionalInterfaceClass,
            functionalInterfaceMethodName,
            functionalInterfaceMethodSignature,
            implMethodKind,
            implClass,
            implMethodName,
            implMethodSignature,
            instantiatedMethodType,
            capturedArgs);
    return invoke(DESERIALIZE_LAMBDA.get(capturingClass), null, form);
  }

  private static Method accessible(Class<?> owner, String name, Class<?>... parameterTypes) {
    try {
      Method method = owner.getDeclaredMethod(name, parameterTypes);
      method.setAccessible(true);
      return method;
    } catch (NoSuchMethodException e) {
      throw new KryoException(
          owner.getName() + " has no " + name + " method: not a serializable lambda's class", e);
    }
  }

  private static Object invoke(Method method, Object target, Object... args) {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw new KryoException(
          "cannot re-create lambda: " + method.getName() + " threw " + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new KryoException("cannot re-create lambda: " + e, e);
    }
  }
}
