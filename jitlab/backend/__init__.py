"""Backends: typed jitlab IR to machine code (`llvm`) and, later, PTX (`cuda`)."""
