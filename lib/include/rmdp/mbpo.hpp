// placeholder for the mbpo layer
#pragma once
