package dev.outrigger.proxy.bootstrap;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Walks a parsed config and rejects, by path, every set field, enum value and typed config outside
 * the {@link Subset}. Returns the config with the rejected parts removed, so that the semantic
 * checks that follow still run on the rest. Works on protos alone, so xDS resources (which arrive
 * as protos) go through the same check as a bootstrap file.
 */
final class SubsetCheck {
  private final Subset subset;
  private final Problems problems;

  SubsetCheck(Subset subset, Problems problems) {
    this.subset = subset;
    this.problems = problems;
  }

  @SuppressWarnings("unchecked")
  <M extends Message> M prune(M message, FieldPath path) {
    return (M) pruneMessage(message, path, null);
  }

  private Message pruneMessage(Message message, FieldPath path, Subset.ExtensionSlot slot) {
    Message.Builder builder = message.toBuilder();
    if (!message.getUnknownFields().asMap().isEmpty()) {
      problems.add(path, "unknown fields " + message.getUnknownFields().asMap().keySet()
          + " (newer API than this proxy understands)");
      builder.setUnknownFields(UnknownFieldSet.getDefaultInstance());
    }
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      FieldPath fieldPath = path.field(field.getName());
      if (!checkField(field, entry.getValue(), fieldPath)) {
        builder.clearField(field);
        continue;
      }
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      Subset.ExtensionSlot inner = subset.slot(field) != null ? subset.slot(field) : slot;
      builder.clearField(field);
      if (field.isMapField()) {
        for (Object item : (List<?>) entry.getValue()) {
          pruneMapEntry((Message) item, fieldPath, inner, builder, field);
        }
      } else if (field.isRepeated()) {
        List<?> items = (List<?>) entry.getValue();
        for (int i = 0; i < items.size(); i++) {
          Message pruned = pruneValue((Message) items.get(i), fieldPath.index(i), inner, message);
          if (pruned != null) {
            builder.addRepeatedField(field, pruned);
          }
        }
      } else {
        Message pruned = pruneValue((Message) entry.getValue(), fieldPath, inner, message);
        if (pruned != null) {
          builder.setField(field, pruned);
        }
      }
    }
    return builder.build();
  }

  private boolean checkField(FieldDescriptor field, Object value, FieldPath path) {
    String reason = subset.notYetReason(field);
    if (reason != null) {
      problems.add(path, reason);
      return false;
    }
    if (!subset.allows(field)) {
      problems.add(path, "not supported");
      return false;
    }
    Set<EnumValueDescriptor> allowed = subset.allowedValues(field);
    if (allowed != null && !allowed.contains((EnumValueDescriptor) value)) {
      problems.add(path, ((EnumValueDescriptor) value).getName() + " is not supported (supported: "
          + allowed.stream().map(EnumValueDescriptor::getName).sorted().collect(Collectors.joining(", "))
          + ")");
      return false;
    }
    return true;
  }

  /** A map entry whose value may be a typed config named by its key, as in protocol options. */
  private void pruneMapEntry(
      Message entry, FieldPath path, Subset.ExtensionSlot slot, Message.Builder builder,
      FieldDescriptor field) {
    Descriptor entryType = entry.getDescriptorForType();
    String key = String.valueOf(entry.getField(entryType.findFieldByName("key")));
    FieldDescriptor valueField = entryType.findFieldByName("value");
    if (valueField.getJavaType() != FieldDescriptor.JavaType.MESSAGE
        || Subset.isValueType(valueField.getMessageType())) {
      builder.addRepeatedField(field, entry);
      return;
    }
    if (!Subset.isTypedConfig(valueField.getMessageType())) {
      // A map of messages, like RBAC's policies: checked field by field as any message.
      Message value = pruneMessage((Message) entry.getField(valueField), path.key(key), slot);
      builder.addRepeatedField(field, entry.toBuilder().setField(valueField, value).build());
      return;
    }
    Any pruned = pruneAny(asAny((Message) entry.getField(valueField)), path.key(key), slot, key);
    if (pruned != null) {
      builder.addRepeatedField(field, entry.toBuilder().setField(valueField, pruned).build());
    }
  }

  /** A nested message, or null when it is rejected as a whole. */
  private Message pruneValue(Message value, FieldPath path, Subset.ExtensionSlot slot, Message holder) {
    if (Subset.isTypedConfig(value.getDescriptorForType())) {
      return pruneAny(asAny(value), path, slot, extensionName(holder));
    }
    if (Subset.isValueType(value.getDescriptorForType())) {
      return value;
    }
    return pruneMessage(value, path, slot);
  }

  /** Inside a typed config decoded as a DynamicMessage, an Any is dynamic too. */
  private static Any asAny(Message message) {
    return message instanceof Any any ? any : Any.newBuilder().mergeFrom(message).build();
  }

  private Any pruneAny(Any any, FieldPath path, Subset.ExtensionSlot slot, String name) {
    Descriptor type = subset.extensionType(any.getTypeUrl());
    Subset.ExtensionSlot place = slot == null ? Subset.ExtensionSlot.NONE : slot;
    if (type == null || !place.accepts(type)) {
      // A type another slot takes, e.g. an upstream TLS context on a listener.
      String misplaced = type == null ? "" : " (" + type.getName() + " does not belong here)";
      problems.add(path, place.unsupported(name, any.getTypeUrl()) + misplaced);
      return null;
    }
    try {
      DynamicMessage config = DynamicMessage.parseFrom(type, any.getValue());
      return Any.pack(pruneMessage(config, path, null));
    } catch (InvalidProtocolBufferException e) {
      problems.add(path, "cannot decode " + type.getFullName() + ": " + e.getMessage());
      return null;
    }
  }

  /** The {@code name} beside a {@code typed_config}, as in Filter, HttpFilter, AccessLog. */
  static String extensionName(Message holder) {
    FieldDescriptor name = holder.getDescriptorForType().findFieldByName("name");
    return name != null && name.getType() == FieldDescriptor.Type.STRING
        ? (String) holder.getField(name)
        : "";
  }
}
