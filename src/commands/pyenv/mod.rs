//! `devkit pyenv …`: a project's Python virtual environment.

pub mod activate;
pub mod freeze;
pub mod init;
pub mod run;
