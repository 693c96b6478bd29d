<#
.SYNOPSIS
    Build dist\Kassasync-Setup-<version>.exe on Windows: freeze with PyInstaller, then pack with NSIS.

.DESCRIPTION
    Run from anywhere; paths are taken relative to the repository root (this script's parent folder).
    Needs KASSASYNC_BUILD_CLIENT_ID and KASSASYNC_BUILD_CLIENT_SECRET in the environment (the Fortnox
    integration's pair, baked into the program: installer\README.md), Python 3.11+ (the `py` launcher
    or `python` on PATH) and NSIS 3 (makensis on PATH or in the
    default install folder; `choco install nsis` installs it). A fresh virtual environment in
    build\installer-venv keeps developer packages out of the frozen program.

.PARAMETER Python
    The interpreter that creates the build venv. Default: `py -3.11` when the launcher exists, else `python`.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File installer\build.ps1
#>
param(
    [string]$Python = ""
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Checked {
    # Native programs report failure through the exit code, which PowerShell does not turn into an error.
    param([string]$Exe, [string[]]$Arguments)
    Write-Host "> $Exe $($Arguments -join ' ')"
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe failed with exit code $LASTEXITCODE" }
}

# The version comes from pyproject.toml, the one place it is written.
$Version = (Select-String -Path "pyproject.toml" -Pattern '^version\s*=\s*"([^"]+)"' |
    Select-Object -First 1).Matches[0].Groups[1].Value
if (-not $Version) { throw "no version in pyproject.toml" }
Write-Host "Kassasync $Version"

$Venv = Join-Path $Root "build\installer-venv"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $VenvPython)) {
    if ($Python) {
        Invoke-Checked $Python @("-m", "venv", $Venv)
    } elseif (Get-Command py -ErrorAction SilentlyContinue) {
        Invoke-Checked "py" @("-3.11", "-m", "venv", $Venv)
    } else {
        Invoke-Checked "python" @("-m", "venv", $Venv)
    }
}
Invoke-Checked $VenvPython @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
# [sandbox]: `kassasync demo` runs against the bundled Fortnox sandbox, which needs werkzeug.
Invoke-Checked $VenvPython @("-m", "pip", "install", "--quiet", ".[sandbox]", "pyinstaller")

Invoke-Checked $VenvPython @("installer\make_names.py")
# The Fortnox client id and secret from the build environment (CI secrets), into build\baked\ (gitignored);
# the spec refuses to build without them. Never commit them; rotate by a new build (installer\README.md).
Invoke-Checked $VenvPython @("installer\bake_credentials.py")
Invoke-Checked $VenvPython @(
    "-m", "PyInstaller", "--noconfirm", "--clean",
    "--distpath", "dist", "--workpath", "build\pyinstaller",
    "installer\kassasync.spec"
)

$Makensis = Get-Command makensis -ErrorAction SilentlyContinue
if ($Makensis) {
    $Makensis = $Makensis.Source
} else {
    $Makensis = Join-Path ${env:ProgramFiles(x86)} "NSIS\makensis.exe"
    if (-not (Test-Path $Makensis)) { throw "makensis not found: install NSIS 3 (choco install nsis)" }
}

$Payload = Join-Path $Root "dist\kassasync"
$Setup = Join-Path $Root "dist\Kassasync-Setup-$Version.exe"
Invoke-Checked $Makensis @(
    "-V3", "-WX",
    "-DVERSION=$Version", "-DPAYLOAD_DIR=$Payload", "-DOUTFILE=$Setup",
    "installer\kassasync.nsi"
)
Write-Host "Built $Setup"
