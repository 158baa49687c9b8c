"""What the data is: region config, layer IO, validation, alignment and the demo generator."""
