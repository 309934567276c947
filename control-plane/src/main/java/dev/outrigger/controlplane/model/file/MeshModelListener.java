package dev.outrigger.controlplane.model.file;

import dev.outrigger.controlplane.model.MeshModel;

/** Told each new model that replaced the serving one (the xDS side subscribes here). */
@FunctionalInterface
public interface MeshModelListener {
  void modelChanged(MeshModel model);
}
