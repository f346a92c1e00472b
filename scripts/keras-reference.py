#!/usr/bin/env python3
"""Seconds per epoch of the same models in Keras (TensorFlow on the CPU), for a same-period
comparison with `mnist-report bench` on a shared, noisy machine.

Set-up (PyPI):  python3 -m venv /tmp/tf && /tmp/tf/bin/pip install tensorflow-cpu==2.21.0
Run:            /tmp/tf/bin/python scripts/keras-reference.py [--epochs 3] [--models mlp500 lenet5]

Each epoch trains on the 60,000 training images and validates on the 10,000 test images, batch
128, as `bench` does; the median over the epochs after the first (which also builds the graph)
is printed. Data: the package's embedded copy.
"""
import argparse
import gzip
import os
import statistics
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "Sources", "MNIST", "Data")


def idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


def model(kind, keras):
    layers, l2 = keras.layers, keras.regularizers.l2
    if kind == "mlp64":
        stack = [layers.Flatten(), layers.Dense(64, "relu"), layers.Dense(64, "relu"), layers.Dense(10, "softmax")]
        optimizer = keras.optimizers.SGD(0.1)
    elif kind == "mlp500":
        stack = [layers.Flatten(), layers.Dense(500, "relu", kernel_regularizer=l2(1e-5)),
                 layers.Dense(300, "relu", kernel_regularizer=l2(1e-5)), layers.Dense(10, "softmax")]
        optimizer = keras.optimizers.SGD(0.1)
    else:
        stack = [layers.ZeroPadding2D(2), layers.Conv2D(6, 5, activation="relu"), layers.AveragePooling2D(2),
                 layers.Conv2D(16, 5, activation="relu"), layers.AveragePooling2D(2), layers.Flatten(),
                 layers.Dense(120, "relu", kernel_regularizer=l2(1e-4)), layers.Dropout(0.5),
                 layers.Dense(84, "relu", kernel_regularizer=l2(1e-4)), layers.Dense(10, "softmax")]
        optimizer = keras.optimizers.Adam(0.001)
    net = keras.Sequential([keras.Input((28, 28, 1))] + stack)
    net.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    return net


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--models", nargs="+", default=["mlp64", "mlp500", "lenet5"])
    args = parser.parse_args()
    import tensorflow as tf
    keras = tf.keras
    keras.utils.set_random_seed(1)
    x_train = (idx("train-images-idx3-ubyte.gz").astype("float32") / 255)[..., None]
    x_test = (idx("t10k-images-idx3-ubyte.gz").astype("float32") / 255)[..., None]
    y_train = keras.utils.to_categorical(idx("train-labels-idx1-ubyte.gz"), 10)
    y_test = keras.utils.to_categorical(idx("t10k-labels-idx1-ubyte.gz"), 10)

    class Clock(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    print(f"TensorFlow {tf.__version__}, {os.cpu_count()} cores")
    for kind in args.models:
        clock = Clock()
        model(kind, keras).fit(x_train, y_train, batch_size=128, epochs=args.epochs, verbose=0,
                               validation_data=(x_test, y_test), callbacks=[clock])
        # The first epoch also traces and compiles the graph: leave it out when there are others.
        timed = clock.seconds[1:] if len(clock.seconds) > 1 else clock.seconds
        print(f"{kind:8} {statistics.median(timed):7.3f} s/epoch (median of {len(timed)}; first epoch {clock.seconds[0]:.3f})")


if __name__ == "__main__":
    main()
