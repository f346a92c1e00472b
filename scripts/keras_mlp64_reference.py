# Trains the notebook's section 2.3 model in Keras (TF-CPU) for seeds 1..N on the same MNIST files,
# to measure Keras's own run-to-run spread. Usage: pip install tensorflow-cpu; python3 scripts/keras_mlp64_reference.py 8
import gzip, sys, numpy as np, os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
def idx(path, offset):
    with gzip.open(path) as f: return np.frombuffer(f.read(), np.uint8, offset=offset)
d = "/work/shared/datasets/mnist/"
xtr = idx(d + "train-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28, 1).astype("float32") / 255
ytr = keras.utils.to_categorical(idx(d + "train-labels-idx1-ubyte.gz", 8), 10)
xte = idx(d + "t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28, 1).astype("float32") / 255
yte = keras.utils.to_categorical(idx(d + "t10k-labels-idx1-ubyte.gz", 8), 10)
for seed in range(1, int(sys.argv[1]) + 1):
    keras.utils.set_random_seed(seed)
    m = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10, activation="softmax")])
    m.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=0.1), metrics=["accuracy"])
    h = m.fit(xtr, ytr, batch_size=128, epochs=10, verbose=0, validation_data=(xte, yte))
    print(f"keras seed {seed}: test accuracy {h.history['val_accuracy'][-1]:.4f}  first-epoch val {h.history['val_accuracy'][0]:.4f} train {h.history['accuracy'][0]:.4f}", flush=True)
