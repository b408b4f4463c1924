//! Python on this machine, as `pyenv`, `doctor` and completion see it: which interpreter a
//! request names (`interpreter`, `pick`), what a project's pyproject.toml asks for, and the
//! state of a venv on disk. Reading only: creating and filling venvs is `commands::pyenv`.

pub mod interpreter;
pub mod pick;
pub mod pyproject;
pub mod venv;
