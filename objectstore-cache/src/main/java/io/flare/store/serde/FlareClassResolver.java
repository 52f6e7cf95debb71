package io.flare.store.serde;

import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.ObjectMap;
import io.flare.api.exception.FlareSerializationException;
import java.util.function.Supplier;

/**
 * Resolves class names read from a Kryo stream: applies the node's allow-list to every name, then
 * loads the class with the node's class loader only (no fallback to Kryo's own loader, so a class
 * missing on this node is reported as missing), without initialising it.
 */
final class FlareClassResolver extends DefaultClassResolver {
  private final Supplier<AllowList> allowList;

  FlareClassResolver(Supplier<AllowList> allowList) {
    this.allowList = allowList;
  }

  @Override
  @SuppressWarnings("rawtypes")
  protected Class getTypeByName(String className) {
    allowList.get().check(className);
    Class<?> type = super.getTypeByName(className);
    if (type == null) {
      type = loadClass(className, kryo.getClassLoader());
      if (nameToClass == null) {
        nameToClass = new ObjectMap<>();
      }
      nameToClass.put(className, type);
    }
    return type;
  }

  static Class<?> loadClass(String className, ClassLoader loader) {
    try {
      return Class.forName(className, false, loader);
    } catch (ClassNotFoundException e) {
      throw new FlareSerializationException(
          "Cannot deserialize: class " + className + " not found on this node", e);
    } catch (LinkageError e) {
      throw new FlareSerializationException(
          "Cannot deserialize: class " + className + " could not be loaded on this node: " + e, e);
    }
  }
}
