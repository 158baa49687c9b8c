"""What the data is: region config, layer IO, validation, alignment; build/ makes regions."""
